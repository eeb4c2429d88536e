import { Octokit } from '@octokit/rest';
import { startTestSandbox } from '../testing/startTestSandbox';
import { SANDBOX_OAUTH_APP } from './OAuthRouter';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

describe("the sandbox GitHub's OAuth web flow", () => {
  let t: TestSandbox;
  const redirectUri = 'http://localhost:7007/api/auth/github/handler/frame';

  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  async function authorizeAs(login: string) {
    const query = new URLSearchParams({
      client_id: SANDBOX_OAUTH_APP.clientId,
      redirect_uri: redirectUri,
      state: 'xyz',
      scope: 'read:user',
    });
    const page = await fetch(`${t.url}/login/oauth/authorize?${query}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`>${login}</button>`);
    const picked = await fetch(`${t.url}/login/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: SANDBOX_OAUTH_APP.clientId,
        redirect_uri: redirectUri,
        state: 'xyz',
        login,
      }),
    });
    expect(picked.status).toBe(302);
    const location = new URL(picked.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('xyz');
    return location.searchParams.get('code')!;
  }

  async function exchange(
    code: string,
    secret = SANDBOX_OAUTH_APP.clientSecret,
  ) {
    const res = await fetch(`${t.url}/login/oauth/access_token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({
        client_id: SANDBOX_OAUTH_APP.clientId,
        client_secret: secret,
        code,
        redirect_uri: redirectUri,
      }),
    });
    return res.json();
  }

  it('signs a person in as the user they pick, with a token that acts as them', async () => {
    const code = await authorizeAs('lena-fischer');
    const { access_token: token, token_type: type } = await exchange(code);
    expect(type).toBe('bearer');
    const octokit = new Octokit({ baseUrl: `${t.url}/api/v3`, auth: token });
    expect((await octokit.users.getAuthenticated()).data.login).toBe(
      'lena-fischer',
    );
  });

  it('offers the person in both teams, who signs in as themselves', async () => {
    const page = await fetch(
      `${t.url}/login/oauth/authorize?${new URLSearchParams({
        client_id: SANDBOX_OAUTH_APP.clientId,
        redirect_uri: redirectUri,
      })}`,
    );
    expect(await page.text()).toContain(
      '>sam-okafor</button> <small>Sam Okafor, data scientist and approver</small>',
    );
    const { access_token: token } = await exchange(
      await authorizeAs('sam-okafor'),
    );
    const octokit = new Octokit({ baseUrl: `${t.url}/api/v3`, auth: token });
    expect((await octokit.users.getAuthenticated()).data.login).toBe(
      'sam-okafor',
    );
  });

  it('uses a code once, and refuses a wrong client secret', async () => {
    const code = await authorizeAs('maya-chen');
    expect(await exchange(code, 'wrong')).toMatchObject({
      error: 'incorrect_client_credentials',
    });
    expect(await exchange(code)).toMatchObject({
      access_token: expect.stringMatching(/^gho_/),
    });
    expect(await exchange(code)).toMatchObject({
      error: 'bad_verification_code',
    });
  });

  it('refuses an unknown app, a non-loopback redirect and an unknown user', async () => {
    const unknownApp = await fetch(
      `${
        t.url
      }/login/oauth/authorize?client_id=other&redirect_uri=${encodeURIComponent(
        redirectUri,
      )}`,
    );
    expect(unknownApp.status).toBe(400);
    const elsewhere = await fetch(
      `${t.url}/login/oauth/authorize?client_id=${
        SANDBOX_OAUTH_APP.clientId
      }&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
    );
    expect(elsewhere.status).toBe(400);
    const nobody = await fetch(`${t.url}/login/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: SANDBOX_OAUTH_APP.clientId,
        redirect_uri: redirectUri,
        login: 'mallory',
      }),
    });
    expect(nobody.status).toBe(400);
  });
});
