import fs from 'node:fs';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ConfigReader } from '@backstage/config';
import {
  AwsIamStrategy,
  GoogleServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import { SignatureV4 } from '@smithy/signature-v4';
import * as gcpMetadata from 'gcp-metadata';
import { startTestSandbox } from '../testing/startTestSandbox';
import { cloudIdentityEnvironment } from './cloudIdentityEnvironment';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

const ROLE_PRINCIPAL =
  'arn:aws:sts::123456789012:assumed-role/omnivision-portal/omnivision-portal';
const SERVICE_ACCOUNT =
  'omnivision-portal@omnivision-prod.iam.gserviceaccount.com';
const MINUTE = 60_000;

/** An EKS token as aws-iam-authenticator and Backstage make it, signed at `signingDate`. */
async function eksToken(
  credentials: {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  },
  clusterId: string,
  signingDate: Date,
) {
  const signer = new SignatureV4({
    credentials,
    region: 'us-west-2',
    service: 'sts',
    sha256: Sha256,
  });
  const request = await signer.presign(
    {
      headers: {
        host: 'sts.us-west-2.amazonaws.com',
        'x-k8s-aws-id': clusterId,
      },
      hostname: 'sts.us-west-2.amazonaws.com',
      method: 'GET',
      path: '/',
      protocol: 'https:',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    },
    { expiresIn: 60, signingDate },
  );
  const query = new URLSearchParams(request.query as Record<string, string>);
  return `k8s-aws-v1.${Buffer.from(
    `https://${request.hostname}/?${query}`,
  ).toString('base64url')}`;
}

describe('cloud identity to the sandbox clusters, with the real clients', () => {
  let t: TestSandbox;
  let now = Date.now();
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    t = await startTestSandbox({ now: () => now });
    Object.assign(process.env, cloudIdentityEnvironment(t.sandbox));
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env))
      if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
    await t.stop();
  });
  beforeEach(() => {
    now = Date.now();
  });

  const cluster = (cloud: 'aws' | 'gcp') =>
    t.sandbox.endpoints().clusters.find(c => c.cloud === cloud)!;
  async function listNodes(cloud: 'aws' | 'gcp', token: string) {
    const res = await t.kubeFetch(
      `${cluster(cloud).url}/api/v1/nodes?limit=1`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    await res.text();
    return res.status;
  }
  const byToken = async (cloud: 'aws' | 'gcp') =>
    (await t.admin('GET', '/stats')).clusters[cluster(cloud).name].byToken;
  const awsStrategyToken = async (authMetadata: Record<string, string> = {}) =>
    (await new AwsIamStrategy({ config: new ConfigReader({}) }).getCredential({
      name: cluster('aws').name,
      url: cluster('aws').url,
      authMetadata: { 'kubernetes.io/auth-provider': 'aws', ...authMetadata },
    })) as { type: 'bearer token'; token: string };

  it('publishes the settings and environment a backend needs', () => {
    const { cloudIdentity, clusters } = t.sandbox.endpoints();
    expect(cloudIdentity.environment).toMatchObject({
      AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/omnivision-portal',
      AWS_WEB_IDENTITY_TOKEN_FILE: `${t.dataDir}/cloud-identity/aws-web-identity-token`,
      AWS_REGION: 'us-west-2',
      AWS_ENDPOINT_URL_STS: `${t.url}/sts`,
      GCE_METADATA_HOST: t.url.replace('http://', ''),
      METADATA_SERVER_DETECTION: 'assume-present',
    });
    expect(
      fs.readFileSync(cloudIdentity.aws.webIdentityTokenFile, 'utf8'),
    ).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(clusters.map(c => c.auth.backstageAuthProvider)).toEqual([
      'aws',
      'googleServiceAccount',
    ]);
  });

  it("gets temporary credentials through the AWS SDK's default chain from the sandbox STS", async () => {
    const credentials = await fromNodeProviderChain()();
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.sessionToken).toBeTruthy();
    const lifetime = credentials.expiration!.getTime() - now;
    expect(lifetime).toBeGreaterThan(59 * MINUTE);
    expect(lifetime).toBeLessThanOrEqual(60 * MINUTE);
    // The credentials sign STS calls too (SigV4 in the Authorization header).
    const sts = new STSClient({ credentials });
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({
      Arn: ROLE_PRINCIPAL,
      Account: '123456789012',
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{16}:omnivision-portal$/),
    });
    const forged = new STSClient({
      credentials: { ...credentials, secretAccessKey: 'x'.repeat(40) },
    });
    await expect(
      forged.send(new GetCallerIdentityCommand({})),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
    });
  });

  it("accepts the AwsIamStrategy's token on EKS, counted under the assumed role's ARN", async () => {
    await t.admin('DELETE', '/stats');
    const { token } = await awsStrategyToken();
    expect(token).toMatch(/^k8s-aws-v1\./);
    expect(await listNodes('aws', token)).toBe(200);
    expect(await byToken('aws')).toEqual({ [ROLE_PRINCIPAL]: 1 });

    now += 14 * MINUTE;
    expect(await listNodes('aws', token)).toBe(200);
    now += 2 * MINUTE; // 16 minutes after X-Amz-Date
    expect(await listNodes('aws', token)).toBe(401);
    expect((await byToken('aws'))['invalid-token']).toBe(1);
  });

  it('refuses a tampered signature, another cluster id, a token from the future and an expired session', async () => {
    const { token } = await awsStrategyToken();
    const url = Buffer.from(
      token.slice('k8s-aws-v1.'.length),
      'base64url',
    ).toString();
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect(
      await listNodes(
        'aws',
        `k8s-aws-v1.${Buffer.from(tampered).toString('base64url')}`,
      ),
    ).toBe(401);
    const other = await awsStrategyToken({
      'kubernetes.io/x-k8s-aws-id': 'eks-us-east-1',
    });
    expect(await listNodes('aws', other.token)).toBe(401);

    const credentials = await fromNodeProviderChain()();
    expect(
      await listNodes(
        'aws',
        await eksToken(credentials, 'eks-us-west-2', new Date(now)),
      ),
    ).toBe(200);
    expect(
      await listNodes(
        'aws',
        await eksToken(
          credentials,
          'eks-us-west-2',
          new Date(now + 10 * MINUTE),
        ),
      ),
    ).toBe(401);
    // An hour later the session has ended: a freshly signed token is refused all the same.
    now += 61 * MINUTE;
    expect(
      await listNodes(
        'aws',
        await eksToken(credentials, 'eks-us-west-2', new Date(now)),
      ),
    ).toBe(401);
  });

  it("accepts the sandbox's long-term test credentials, as the IAM user", async () => {
    const { testCredentials } = t.sandbox.endpoints().cloudIdentity.aws;
    await t.admin('DELETE', '/stats');
    expect(
      await listNodes(
        'aws',
        await eksToken(testCredentials, 'eks-us-west-2', new Date(now)),
      ),
    ).toBe(200);
    expect(await byToken('aws')).toEqual({
      'arn:aws:iam::123456789012:user/sandbox-tests': 1,
    });
  });

  it("answers STS's errors for a bad or expired web identity token and an untrusted role", async () => {
    const { aws } = t.sandbox.endpoints().cloudIdentity;
    const assume = async (token: string, roleArn = aws.roleArn) => {
      const res = await fetch(aws.stsEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Action: 'AssumeRoleWithWebIdentity',
          Version: '2011-06-15',
          RoleArn: roleArn,
          RoleSessionName: 'test',
          WebIdentityToken: token,
        }).toString(),
      });
      const body = await res.text();
      return {
        status: res.status,
        code: /<Code>(\w+)<\/Code>/.exec(body)?.[1],
        body,
      };
    };
    const token = fs.readFileSync(aws.webIdentityTokenFile, 'utf8');
    const ok = await assume(token);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(
      '<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/omnivision-portal/test</Arn>',
    );
    const [h, p, s] = token.split('.');
    expect(await assume(`${h}.${p}.${s.slice(0, -4)}AAAA`)).toMatchObject({
      status: 400,
      code: 'InvalidIdentityToken',
    });
    expect(await assume('not-a-jwt')).toMatchObject({
      status: 400,
      code: 'InvalidIdentityToken',
    });
    expect(
      await assume(token, 'arn:aws:iam::123456789012:role/admin'),
    ).toMatchObject({ status: 403, code: 'AccessDenied' });
    now += 25 * 60 * MINUTE;
    expect(await assume(token)).toMatchObject({
      status: 400,
      code: 'ExpiredTokenException',
    });
  });

  it("accepts GoogleServiceAccountStrategy's token on GKE, counted under the service account's email", async () => {
    await t.admin('DELETE', '/stats');
    const { token } = (await new GoogleServiceAccountStrategy({
      config: new ConfigReader({}),
    }).getCredential()) as { token: string };
    expect(token).toMatch(/^ya29\./);
    expect(await listNodes('gcp', token)).toBe(200);
    expect(await byToken('gcp')).toEqual({ [SERVICE_ACCOUNT]: 1 });
    // ADC asked the metadata server for the token alone: no ping, no project, nothing else.
    expect((await t.admin('GET', '/stats')).metadata.byEndpoint).toEqual({
      'GET /v1/instance/service-accounts/default/token': 1,
    });
    now += 60 * MINUTE;
    expect(await listNodes('gcp', token)).toBe(401);
  });

  it('answers the detection ping of gcp-metadata without METADATA_SERVER_DETECTION', async () => {
    delete process.env.METADATA_SERVER_DETECTION;
    try {
      gcpMetadata.resetIsAvailableCache();
      expect(await gcpMetadata.isAvailable()).toBe(true);
      expect(await gcpMetadata.instance('service-accounts/default/email')).toBe(
        SERVICE_ACCOUNT,
      );
      expect(await gcpMetadata.project('project-id')).toBe('omnivision-prod');
    } finally {
      process.env.METADATA_SERVER_DETECTION = 'assume-present';
      gcpMetadata.resetIsAvailableCache();
    }
  });

  it('refuses metadata requests without Metadata-Flavor: Google, as GCE', async () => {
    const base = `${t.url}/computeMetadata/v1/instance/service-accounts/default/token`;
    const without = await fetch(base);
    expect(without.status).toBe(403);
    expect(without.headers.get('metadata-flavor')).toBe('Google');
    const forwarded = await fetch(base, {
      headers: { 'Metadata-Flavor': 'Google', 'X-Forwarded-For': '10.0.0.1' },
    });
    expect(forwarded.status).toBe(403);
    const ok = await fetch(base, { headers: { 'Metadata-Flavor': 'Google' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3599,
    });
  });

  it("refuses each cloud's token on the other cloud's clusters, and keeps the static tokens", async () => {
    const { token: awsToken } = await awsStrategyToken();
    const { token: googleToken } = (await new GoogleServiceAccountStrategy({
      config: new ConfigReader({}),
    }).getCredential()) as { token: string };
    await t.admin('DELETE', '/stats');
    expect(await listNodes('gcp', awsToken)).toBe(401);
    expect(await listNodes('aws', googleToken)).toBe(401);
    expect(await listNodes('aws', cluster('aws').token)).toBe(200);
    expect(await listNodes('aws', cluster('gcp').token)).toBe(401);
    expect(await byToken('aws')).toEqual({
      'invalid-token': 2,
      'static:test-tools': 1,
    });
    expect(await byToken('gcp')).toEqual({ 'invalid-token': 1 });
  });
});
