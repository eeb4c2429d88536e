import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import {
  CREDENTIAL_REFRESH_AFTER_MS,
  ClusterCredentials,
} from './ClusterCredentials';
import {
  ClusterConnection,
  ClusterEndpoint,
  KubeApiError,
} from './ClusterConnection';

/** A strategy handing out `token-1`, `token-2`, ... and recording whom it was asked for. */
function countingStrategy(options: { fail?: () => boolean } = {}) {
  const asked: ClusterDetails[] = [];
  const strategy: AuthenticationStrategy = {
    async getCredential(cluster) {
      asked.push(cluster);
      await new Promise(resolve => setImmediate(resolve));
      if (options.fail?.())
        throw new Error('the metadata server did not answer');
      return { type: 'bearer token', token: `token-${asked.length}` };
    },
    validateCluster: () => [],
    presentAuthMetadata: () => ({}),
  };
  return { strategy, asked };
}

const eks = (url = 'https://eks.example'): ClusterEndpoint => ({
  name: 'eks-us-west-2',
  url,
  authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
  // The test's API server speaks plain HTTP, which client-node allows only so.
  skipTLSVerify: url.startsWith('http:'),
});

describe('ClusterCredentials', () => {
  it("asks the provider's strategy, with the cluster's details, and keeps the token while it is fresh", async () => {
    let now = 0;
    const { strategy, asked } = countingStrategy();
    const credentials = ClusterCredentials.create({
      endpoint: eks(),
      strategies: { aws: strategy },
      now: () => now,
    });
    expect(await credentials.token()).toBe('token-1');
    expect(asked).toEqual([
      expect.objectContaining({
        name: 'eks-us-west-2',
        url: 'https://eks.example',
        authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
      }),
    ]);
    now = CREDENTIAL_REFRESH_AFTER_MS.aws - 1;
    expect(await credentials.token()).toBe('token-1');
    expect(asked).toHaveLength(1);
  });

  it('asks for a new token before an EKS token expires (15 minutes after it was signed, or with its role session)', async () => {
    let now = 0;
    const { strategy } = countingStrategy();
    const credentials = ClusterCredentials.create({
      endpoint: eks(),
      strategies: { aws: strategy },
      now: () => now,
    });
    expect(await credentials.token()).toBe('token-1');
    // Inside the token's 15 minutes, and inside the 5 minutes the AWS SDK leaves its session.
    expect(CREDENTIAL_REFRESH_AFTER_MS.aws).toBeLessThan(5 * 60_000);
    now = CREDENTIAL_REFRESH_AFTER_MS.aws;
    expect(await credentials.token()).toBe('token-2');
  });

  it('shares one request among callers asking at once', async () => {
    const { strategy, asked } = countingStrategy();
    const credentials = ClusterCredentials.create({
      endpoint: eks(),
      strategies: { aws: strategy },
    });
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => credentials.token()),
    );
    expect(tokens).toEqual(Array(5).fill('token-1'));
    expect(asked).toHaveLength(1);
  });

  it('drops a refused token once, not a newer one', async () => {
    const { strategy } = countingStrategy();
    const credentials = ClusterCredentials.create({
      endpoint: eks(),
      strategies: { aws: strategy },
    });
    expect(await credentials.token()).toBe('token-1');
    expect(credentials.refused('token-1')).toBe(true);
    expect(await credentials.token()).toBe('token-2');
    // A request that went out with token-1 and is refused late changes nothing.
    expect(credentials.refused('token-1')).toBe(false);
    expect(await credentials.token()).toBe('token-2');
  });

  it('keeps nothing when the strategy fails, and asks again next time', async () => {
    let failing = true;
    const { strategy } = countingStrategy({ fail: () => failing });
    const credentials = ClusterCredentials.create({
      endpoint: eks(),
      strategies: { aws: strategy },
    });
    await expect(credentials.token()).rejects.toThrow(
      'the metadata server did not answer',
    );
    failing = false;
    expect(await credentials.token()).toBe('token-2');
  });

  it('refuses a cluster whose provider has no strategy', () => {
    expect(() =>
      ClusterCredentials.create({
        endpoint: {
          ...eks(),
          authMetadata: { 'kubernetes.io/auth-provider': 'aks' },
        },
        strategies: { aws: countingStrategy().strategy },
      }),
    ).toThrow(
      'kubernetes cluster eks-us-west-2: the fleet reads clusters with aws, googleServiceAccount, serviceAccount, not aks',
    );
  });
});

describe('ClusterConnection with expiring credentials', () => {
  /**
   * An API server that accepts only `accepted` and records the tokens it was shown, and each
   * write (method, content type, body); it answers a write with what it was sent.
   */
  async function apiServer(accepted: string) {
    const seen: string[] = [];
    const writes: string[] = [];
    const server = http.createServer(async (req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      seen.push(token);
      let body = '';
      for await (const chunk of req) body += chunk;
      if (req.method !== 'GET') {
        writes.push(`${req.method} ${req.headers['content-type']} ${body}`);
      }
      res.setHeader('content-type', 'application/json');
      if (token !== accepted) {
        res.statusCode = 401;
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            message: 'Unauthorized',
            reason: 'Unauthorized',
            code: 401,
          }),
        );
        return;
      }
      if (req.url?.includes('watch=true')) {
        res.write(
          `${JSON.stringify({
            type: 'ADDED',
            object: { kind: 'Namespace', metadata: { name: 'omnivision' } },
          })}\n`,
        );
        res.end();
        return;
      }
      if (req.method === 'PATCH') {
        res.end(JSON.stringify({ kind: 'Rollout', ...JSON.parse(body) }));
        return;
      }
      res.end(JSON.stringify({ kind: 'NamespaceList', items: [] }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      writes,
      close: () => new Promise(resolve => server.close(resolve)),
    };
  }

  /** A connection to the test's API server, with the credentials of `strategy`. */
  function connectionTo(url: string, strategy: AuthenticationStrategy) {
    const endpoint = eks(url);
    return ClusterConnection.create(
      endpoint,
      ClusterCredentials.create({ endpoint, strategies: { aws: strategy } }),
    );
  }

  it('asks for a new token when the server refuses one (401) and makes the request once more', async () => {
    const server = await apiServer('token-2');
    try {
      const { strategy, asked } = countingStrategy();
      const connection = connectionTo(server.url, strategy);
      const list = await connection.get<{ kind: string }>(
        '/api/v1/namespaces',
        {},
        5_000,
      );
      expect(list.kind).toBe('NamespaceList');
      expect(server.seen).toEqual(['token-1', 'token-2']);
      expect(asked).toHaveLength(2);

      // Watches present the same, refreshed credential.
      const events: string[] = [];
      const watch = await connection.watch(
        '/api/v1/namespaces',
        { watch: true },
        event => events.push(`${event.type} ${event.object.metadata.name}`),
        5_000,
      );
      await watch.ended;
      expect(events).toEqual(['ADDED omnivision']);
      expect(server.seen).toEqual(['token-1', 'token-2', 'token-2']);
    } finally {
      await server.close();
    }
  });

  it('patches with a JSON merge patch, with the same credentials and retry after a 401', async () => {
    const server = await apiServer('token-2');
    try {
      const { strategy } = countingStrategy();
      const connection = connectionTo(server.url, strategy);
      const patched = await connection.patch<{ kind: string; spec: unknown }>(
        '/apis/argoproj.io/v1alpha1/namespaces/omnivision-models/rollouts/vidgen-xl',
        { spec: { paused: true } },
        5_000,
      );
      expect(patched).toEqual({ kind: 'Rollout', spec: { paused: true } });
      expect(server.seen).toEqual(['token-1', 'token-2']);
      expect(server.writes).toEqual(
        Array(2).fill(
          'PATCH application/merge-patch+json {"spec":{"paused":true}}',
        ),
      );
    } finally {
      await server.close();
    }
  });

  it('retries every request refused with the same token, on one new token', async () => {
    const server = await apiServer('token-2');
    try {
      const { strategy, asked } = countingStrategy();
      const connection = connectionTo(server.url, strategy);
      const lists = await Promise.all(
        Array.from({ length: 3 }, () =>
          connection.get<{ kind: string }>('/api/v1/namespaces', {}, 5_000),
        ),
      );
      expect(lists.map(l => l.kind)).toEqual(Array(3).fill('NamespaceList'));
      expect(server.seen.sort()).toEqual([
        'token-1',
        'token-1',
        'token-1',
        'token-2',
        'token-2',
        'token-2',
      ]);
      expect(asked).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('does not loop: a server that refuses every token answers 401 after one new attempt', async () => {
    const server = await apiServer('never');
    try {
      const { strategy } = countingStrategy();
      const connection = connectionTo(server.url, strategy);
      const failure: KubeApiError = await connection
        .get('/api/v1/namespaces', {}, 5_000)
        .then(() => {
          throw new Error('the server accepted a token it refuses');
        })
        .catch(e => e);
      expect(failure).toBeInstanceOf(KubeApiError);
      expect(failure.statusCode).toBe(401);
      expect(server.seen).toEqual(['token-1', 'token-2']);
      const watchFailure: KubeApiError = await connection
        .watch('/api/v1/namespaces', { watch: true }, () => {}, 5_000)
        .then(() => {
          throw new Error('the server accepted a token it refuses');
        })
        .catch(e => e);
      expect(watchFailure.statusCode).toBe(401);
      expect(server.seen).toEqual(['token-1', 'token-2', 'token-2', 'token-3']);
    } finally {
      await server.close();
    }
  });

  it('reports a strategy that cannot give a credential as the reason, without a request', async () => {
    const server = await apiServer('token-1');
    try {
      const { strategy } = countingStrategy({ fail: () => true });
      const connection = connectionTo(server.url, strategy);
      await expect(
        connection.get('/api/v1/namespaces', {}, 5_000),
      ).rejects.toThrow(
        'no credential for the cluster: the metadata server did not answer',
      );
      expect(server.seen).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
