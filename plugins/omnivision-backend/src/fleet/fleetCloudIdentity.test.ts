import request from 'supertest';
import { eventually } from '@internal/sandbox/testUtils';
import {
  DeploymentBackend,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(120_000);

/**
 * The fleet as `make start` runs it (app-config.sandbox.yaml): the sandbox's clusters read with
 * cloud identity through Backstage's strategies, as the sandbox's API servers count it.
 */
describe("the fleet's identity at the clusters", () => {
  let backend: DeploymentBackend;

  beforeAll(async () => {
    backend = await startDeploymentBackend();
  });

  afterAll(() => backend?.stop());

  it('reads the EKS cluster as an IAM role and the GKE cluster as a Google service account, never with a static token, and Secrets as metadata only', async () => {
    await eventually(async () => {
      const fleet = await request(backend.server).get('/api/omnivision/fleet');
      return (
        fleet.status === 200 &&
        fleet.body.clusters.length === 2 &&
        fleet.body.clusters.every((c: any) => c.health.synced)
      );
    }, 60_000);
    const { cloudIdentity, clusters } = await backend.sandbox.admin(
      'GET',
      '/endpoints',
    );
    const { clusters: counted } = await backend.sandbox.admin('GET', '/stats');
    const principalOf: Record<string, string> = {
      'eks-us-west-2': `arn:aws:sts::${
        cloudIdentity.aws.accountId
      }:assumed-role/${cloudIdentity.aws.roleArn.split('/').pop()}/${
        cloudIdentity.aws.roleSessionName
      }`,
      'gke-europe-west1': cloudIdentity.gcp.serviceAccountEmail,
    };
    for (const cluster of clusters) {
      const { byToken, byEndpoint } = counted[cluster.name];
      // Every request of the portal's, under its cloud identity: none with the static token,
      // none refused.
      expect(Object.keys(byToken)).toEqual([principalOf[cluster.name]]);
      expect(byToken[principalOf[cluster.name]]).toBeGreaterThan(10);
      const secretReads = Object.keys(byEndpoint).filter(e =>
        /\/secrets(;|$)/.test(e),
      );
      expect(secretReads.length).toBeGreaterThan(0);
      for (const endpoint of secretReads) {
        expect(endpoint).toMatch(/;as=PartialObjectMetadata(List)?$/);
      }
    }
  });
});
