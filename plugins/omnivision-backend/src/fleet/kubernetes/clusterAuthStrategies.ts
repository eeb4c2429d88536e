import type { Config } from '@backstage/config';
import {
  AwsIamStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import type {
  AuthMetadata,
  AuthenticationStrategy,
  ClusterDetails,
  KubernetesCredential,
} from '@backstage/plugin-kubernetes-node';
import type { FleetAuthStrategies } from './ClusterCredentials';

/**
 * Backstage's `ServiceAccountStrategy`, except that a configured `serviceAccountToken` is
 * answered here: Backstage's first loads `@kubernetes/client-node` with a dynamic `import()`,
 * even when it only returns the configured token, and Jest's module system (the fleet's tests)
 * cannot run that. The in-cluster token file is read by Backstage's.
 */
class ServiceAccountTokenStrategy implements AuthenticationStrategy {
  readonly #inCluster = new ServiceAccountStrategy();

  async getCredential(cluster: ClusterDetails): Promise<KubernetesCredential> {
    const token = cluster.authMetadata.serviceAccountToken;
    if (token) return { type: 'bearer token', token };
    return this.#inCluster.getCredential(cluster);
  }

  validateCluster(): Error[] {
    return this.#inCluster.validateCluster();
  }

  presentAuthMetadata(authMetadata: AuthMetadata): AuthMetadata {
    return this.#inCluster.presentAuthMetadata(authMetadata);
  }
}

/**
 * Backstage's own strategies for the providers the fleet reads clusters with, under the names
 * the Kubernetes plugin gives them (`authProvider`), configured as it configures them: an IAM
 * role through the AWS SDK's credential chain (IRSA's web identity on EKS, `aws.*` config), a
 * Google service account through application default credentials (the metadata server under
 * workload identity, or `kubernetes.googleServiceAccountCredentials`), a service account's
 * token.
 */
export function createClusterAuthStrategies(
  config: Config,
): FleetAuthStrategies {
  return {
    aws: new AwsIamStrategy({ config }),
    googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
    serviceAccount: new ServiceAccountTokenStrategy(),
  };
}
