/**
 * Fixtures for the tests of the OmniVision packages: GPU profiles and regions as app-config.yaml
 * configures them, a signed digest, a policy context, a deployment request and a model's deployment
 * in a region.
 *
 * @packageDocumentation
 */
export {
  DIGEST,
  PROFILES,
  REGIONS,
  VERSIONS,
  contextFixture,
  deploymentConfigFixture,
  requestFixture,
  versionedContextFixture,
} from './testing/deploymentFixtures';
export { regionalDeploymentFixture } from './testing/modelDeploymentFixtures';
