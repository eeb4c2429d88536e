import { ConfigReader } from '@backstage/config';
import { readFleetConfig } from './FleetConfig';

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
            probeIntervalSeconds: 5,
          },
          history: { retentionDays: 7 },
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
            token: 'token-1',
            caData: 'Q0E=',
            skipTLSVerify: undefined,
          },
        },
      ],
      warmPool: { targetHeadroom: 0.25, baselineGpuNodes: 20 },
      timings: { probeIntervalMs: 5000 },
      history: { retentionDays: 7 },
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
    [{ history: { retentionDays: 0 } }, /retentionDays must be positive/],
  ])('refuses a fleet config that cannot work: %j', (omnivision, message) => {
    expect(() =>
      readFleetConfig(new ConfigReader({ kubernetes, omnivision })),
    ).toThrow(message);
  });
});
