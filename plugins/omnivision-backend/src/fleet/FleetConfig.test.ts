import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readFleetConfig } from './FleetConfig';

const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIUU2FuZGJveA==\n-----END CERTIFICATE-----\n';

function withCluster(cluster: Record<string, unknown>) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'eks-us-west-2',
              url: 'https://eks.example',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'token-1',
              ...cluster,
            },
          ],
        },
      ],
    },
    omnivision: {
      regions: [{ id: 'us-west-2', cluster: 'eks-us-west-2', cloud: 'aws' }],
    },
  };
}

const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'eks-us-west-2',
          url: 'https://eks.example',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'token-1',
          caData: 'Q0E=',
        },
      ],
    },
  ],
};

describe('readFleetConfig', () => {
  it("takes each region's connection from the Kubernetes plugin's cluster of the same name", () => {
    const fleet = readFleetConfig(
      new ConfigReader({
        kubernetes,
        omnivision: {
          regions: [
            { id: 'us-west-2', cluster: 'eks-us-west-2', cloud: 'aws' },
          ],
          fleet: {
            warmPool: { targetHeadroom: 0.25 },
            probeInterval: { seconds: 5 },
          },
          history: { retention: { days: 7 } },
        },
      }),
    );
    expect(fleet).toEqual({
      clusters: [
        {
          name: 'eks-us-west-2',
          cloud: 'aws',
          region: 'us-west-2',
          endpoint: {
            name: 'eks-us-west-2',
            url: 'https://eks.example',
            authMetadata: {
              'kubernetes.io/auth-provider': 'serviceAccount',
              serviceAccountToken: 'token-1',
            },
            caData: 'Q0E=',
            skipTLSVerify: undefined,
          },
        },
      ],
      skipped: [],
      warmPool: { targetHeadroom: 0.25, baselineGpuNodes: 20 },
      timings: { probeIntervalMs: 5000 },
      history: { retentionMs: 7 * 24 * 60 * 60 * 1000 },
    });
  });

  it("reads each provider's auth metadata as the Kubernetes plugin does: an IAM role, a Google service account, a service account", () => {
    const fleet = readFleetConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                {
                  name: 'eks-us-west-2',
                  url: 'https://eks.example',
                  authProvider: 'aws',
                  assumeRole: 'arn:aws:iam::111122223333:role/fleet-reader',
                  externalId: 'omnivision',
                },
                {
                  name: 'gke-europe-west1',
                  url: 'https://gke.example',
                  authMetadata: {
                    'kubernetes.io/auth-provider': 'googleServiceAccount',
                  },
                },
                {
                  name: 'in-cluster',
                  url: 'https://kubernetes.default.svc',
                  authProvider: 'serviceAccount',
                },
              ],
            },
          ],
        },
        omnivision: {
          regions: [
            { id: 'us-west-2', cluster: 'eks-us-west-2', cloud: 'aws' },
            { id: 'europe-west1', cluster: 'gke-europe-west1', cloud: 'gcp' },
            { id: 'us-east-1', cluster: 'in-cluster', cloud: 'aws' },
          ],
        },
      }),
    );
    expect(fleet.clusters.map(c => c.endpoint.authMetadata)).toEqual([
      {
        'kubernetes.io/auth-provider': 'aws',
        'kubernetes.io/aws-assume-role':
          'arn:aws:iam::111122223333:role/fleet-reader',
        'kubernetes.io/aws-external-id': 'omnivision',
      },
      { 'kubernetes.io/auth-provider': 'googleServiceAccount' },
      { 'kubernetes.io/auth-provider': 'serviceAccount' },
    ]);
    expect(fleet.skipped).toEqual([]);
  });

  it('skips, with the reason, a region whose cluster has a provider the fleet does not read, and ignores clusters no region names', () => {
    const fleet = readFleetConfig(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            {
              type: 'config',
              clusters: [
                ...kubernetes.clusterLocatorMethods[0].clusters,
                {
                  name: 'aks-eastus',
                  url: 'https://aks.example',
                  authProvider: 'aks',
                },
                // Another plugin's cluster, with a provider the fleet knows nothing of.
                {
                  name: 'oidc-tools',
                  url: 'https://tools.example',
                  authProvider: 'oidc',
                  oidcTokenProvider: 'okta',
                },
              ],
            },
          ],
        },
        omnivision: {
          regions: [
            { id: 'us-west-2', cluster: 'eks-us-west-2', cloud: 'aws' },
            { id: 'eastus', cluster: 'aks-eastus', cloud: 'aws' },
          ],
        },
      }),
    );
    expect(fleet.clusters.map(c => c.name)).toEqual(['eks-us-west-2']);
    expect(fleet.skipped).toEqual([
      {
        cluster: 'aks-eastus',
        reason:
          'its authProvider aks is none the fleet reads clusters with (aws, googleServiceAccount, serviceAccount)',
      },
    ]);
  });

  it('reads durations as objects, ms strings and ISO 8601, with defaults for the rest', () => {
    const read = (omnivision: Record<string, unknown>) =>
      readFleetConfig(
        new ConfigReader({
          kubernetes,
          omnivision: {
            regions: [
              { id: 'us-west-2', cluster: 'eks-us-west-2', cloud: 'aws' },
            ],
            ...omnivision,
          },
        }),
      );
    const fleet = read({
      fleet: {
        probeInterval: { milliseconds: 500 },
        staleAfter: '3s',
        requestTimeout: 'PT1M',
      },
      history: { retention: '12h' },
    });
    expect(fleet.timings).toEqual({
      probeIntervalMs: 500,
      staleAfterMs: 3000,
      requestTimeoutMs: 60_000,
    });
    expect(fleet.history).toEqual({ retentionMs: 12 * 60 * 60 * 1000 });
    // Nothing set: the caches' own defaults, and 30 days of history.
    const defaults = read({});
    expect(defaults.timings).toEqual({});
    expect(defaults.history).toEqual({ retentionMs: 30 * 24 * 60 * 60 * 1000 });
  });

  describe('the CA of a cluster', () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-config-'));
      fs.writeFileSync(path.join(dir, 'ca.crt'), CA_PEM);
      fs.writeFileSync(path.join(dir, 'not-a-ca.txt'), 'hello');
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads caFile into caData, base64 as in a kubeconfig', () => {
      const fleet = readFleetConfig(
        new ConfigReader(withCluster({ caFile: path.join(dir, 'ca.crt') })),
      );
      expect(fleet.clusters[0].endpoint).toEqual({
        name: 'eks-us-west-2',
        url: 'https://eks.example',
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'token-1',
        },
        caData: Buffer.from(CA_PEM).toString('base64'),
        skipTLSVerify: undefined,
      });
    });

    it('reads a relative caFile from the working folder, as the Kubernetes plugin does', () => {
      const relative = path.relative(process.cwd(), path.join(dir, 'ca.crt'));
      expect(path.isAbsolute(relative)).toBe(false);
      const fleet = readFleetConfig(
        new ConfigReader(withCluster({ caFile: relative })),
      );
      expect(
        Buffer.from(fleet.clusters[0].endpoint.caData!, 'base64').toString(),
      ).toBe(CA_PEM);
    });

    it('uses neither when there is none: the system CAs apply', () => {
      const fleet = readFleetConfig(new ConfigReader(withCluster({})));
      expect(fleet.clusters[0].endpoint.caData).toBeUndefined();
    });

    it.each([
      [
        'a missing file',
        () => ({ caFile: path.join(dir, 'missing.crt') }),
        /kubernetes cluster eks-us-west-2: cannot read its CA file caFile ".*missing\.crt".*ENOENT/,
      ],
      [
        'a file without a certificate',
        () => ({ caFile: path.join(dir, 'not-a-ca.txt') }),
        /kubernetes cluster eks-us-west-2: its CA file caFile ".*not-a-ca\.txt" holds no PEM certificate/,
      ],
      [
        'both caData and caFile',
        () => ({ caData: 'Q0E=', caFile: path.join(dir, 'ca.crt') }),
        /kubernetes cluster eks-us-west-2: set caData or caFile, not both/,
      ],
    ])('refuses %s with a clear error', (_what, cluster, message) => {
      expect(() =>
        readFleetConfig(new ConfigReader(withCluster(cluster()))),
      ).toThrow(message);
    });
  });

  it.each([
    [
      { regions: [{ id: 'x', cluster: 'aks-nowhere', cloud: 'aws' }] },
      /names cluster aks-nowhere, which kubernetes.clusterLocatorMethods does not configure/,
    ],
    [
      { regions: [{ id: 'x', cluster: 'eks-us-west-2', cloud: 'azure' }] },
      /cloud of eks-us-west-2 must be aws or gcp/,
    ],
    [
      { fleet: { warmPool: { targetHeadroom: 20 } } },
      /targetHeadroom must be a share from 0 to 1/,
    ],
    [
      { history: { retention: { days: 0 } } },
      /omnivision.history.retention must be a positive duration/,
    ],
    [
      { fleet: { probeInterval: 'often' } },
      /omnivision.fleet.probeInterval must be a duration such as/,
    ],
    [
      { fleet: { staleAfter: { fortnights: 1 } } },
      /omnivision.fleet.staleAfter must be a duration such as/,
    ],
    [
      { fleet: { probeIntervalSeconds: 10 } },
      /omnivision.fleet.probeIntervalSeconds is no longer read: set omnivision.fleet.probeInterval/,
    ],
    [
      { history: { retentionDays: 30 } },
      /omnivision.history.retentionDays is no longer read: set omnivision.history.retention/,
    ],
  ])('refuses a fleet config that cannot work: %j', (omnivision, message) => {
    expect(() =>
      readFleetConfig(new ConfigReader({ kubernetes, omnivision })),
    ).toThrow(message);
  });
});
