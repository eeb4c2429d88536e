import crypto from 'node:crypto';
import fs from 'node:fs';
import { SignJWT } from 'jose';
import { startTestSandbox } from '../testing/startTestSandbox';
import { GitHubAppKey } from './GitHubAppKey';

describe("the sandbox's GitHub authenticates the portal's GitHub App as GitHub does", () => {
  let t: Awaited<ReturnType<typeof startTestSandbox>>;
  let github: any;
  let clock = Date.parse('2026-03-02T10:00:00Z');

  const call = async (token: string, method: string, path: string) => {
    const res = await fetch(`${github.apiBaseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  };
  const appJwt = () => {
    const now = Math.floor(clock / 1000);
    return new SignJWT({ iat: now - 30, exp: now + 570, iss: github.app.appId })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(
        crypto.createPrivateKey(fs.readFileSync(github.app.privateKeyFile)),
      );
  };

  beforeAll(async () => {
    t = await startTestSandbox({ now: () => clock });
    github = (await t.admin('GET', '/endpoints')).github;
  });
  afterAll(() => t?.stop());

  it('generates the private key once, in the data folder, readable by its owner only', async () => {
    expect(github.app.privateKeyFile).toBe(
      `${t.dataDir}/github-app/private-key.pem`,
    );
    const pem = fs.readFileSync(github.app.privateKeyFile, 'utf8');
    expect(pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(fs.statSync(github.app.privateKeyFile).mode & 0o777).toBe(0o600);
    // Reopened at a later start: the same key.
    const reopened = await GitHubAppKey.open(`${t.dataDir}/github-app`);
    expect(reopened.privateKeyFile).toBe(github.app.privateKeyFile);
    expect(fs.readFileSync(github.app.privateKeyFile, 'utf8')).toBe(pem);
    expect(reopened.publicKey.equals(t.sandbox.appKey.publicKey)).toBe(true);
  });

  it('counts JWT calls under the app and installation-token calls under its installation, never by token', async () => {
    await t.admin('DELETE', '/stats');
    const jwt = await appJwt();
    const [installation] = (await call(jwt, 'GET', '/app/installations')).body;
    const issued = await call(
      jwt,
      'POST',
      `/app/installations/${installation.id}/access_tokens`,
    );
    expect(issued.status).toBe(201);
    const repoPath = `/repos/${github.owner}/${github.repo}`;
    expect((await call(issued.body.token, 'GET', repoPath)).status).toBe(200);
    expect((await call(github.app.token, 'GET', repoPath)).status).toBe(200);

    const stats = await t.admin('GET', '/stats');
    expect(stats.github.byTokenAndEndpoint).toEqual({
      'app:omnivision-portal': {
        'GET /app/installations': 1,
        'POST /app/installations/{installation_id}/access_tokens': 1,
      },
      'app:omnivision-portal/installation:4001': {
        'GET /repos/{owner}/{repo}': 1,
      },
      // The bot's static token, for test tools: counted under its login, as a personal token.
      'omnivision-portal[bot]': { 'GET /repos/{owner}/{repo}': 1 },
    });
    expect(github.app.principals).toEqual({
      app: 'app:omnivision-portal',
      installation: 'app:omnivision-portal/installation:4001',
    });
    expect(JSON.stringify(stats)).not.toContain(issued.body.token);
    expect(JSON.stringify(stats)).not.toContain(jwt);
  });

  it('refuses an installation token once it has expired, and a JWT past its 10 minutes', async () => {
    const jwt = await appJwt();
    const { body: token } = await call(
      jwt,
      'POST',
      '/app/installations/4001/access_tokens',
    );
    const repoPath = `/repos/${github.owner}/${github.repo}`;
    clock += 59 * 60 * 1000;
    expect((await call(token.token, 'GET', repoPath)).status).toBe(200);
    expect(await call(jwt, 'GET', '/app')).toMatchObject({
      status: 401,
      body: {
        message:
          "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      },
    });
    clock += 60 * 1000;
    expect(await call(token.token, 'GET', repoPath)).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
  });

  it('keeps the app to its routes and the installation to what an installation may call', async () => {
    const jwt = await appJwt();
    expect(
      await call(jwt, 'GET', `/repos/${github.owner}/${github.repo}`),
    ).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    const { body: token } = await call(
      jwt,
      'POST',
      '/app/installations/4001/access_tokens',
    );
    expect(await call(token.token, 'GET', '/user')).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' },
    });
    expect(await call(token.token, 'GET', '/app')).toMatchObject({
      status: 401,
      body: { message: 'A JSON web token could not be decoded' },
    });
    expect(await call('ghs_not_issued_here', 'GET', '/user')).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
  });
});
