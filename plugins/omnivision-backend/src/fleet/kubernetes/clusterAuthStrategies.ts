import type { Config } from '@backstage/config';
import {
  AwsIamStrategy,
  GoogleServiceAccountStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import type { FleetAuthStrategies } from './ClusterCredentials';

/**
 * Backstage's own strategies for the providers the fleet reads clusters with, configured as the
 * Kubernetes plugin configures them: an IAM role through the AWS SDK's credential chain (IRSA's
 * web identity on EKS, `aws.*` config), a Google service account through application default
 * credentials (the metadata server under workload identity, or
 * `kubernetes.googleServiceAccountCredentials`), a service account's token.
 */
export function createClusterAuthStrategies(
  config: Config,
): FleetAuthStrategies {
  return {
    aws: new AwsIamStrategy({ config }),
    google: new GoogleServiceAccountStrategy({ config }),
    serviceAccount: new ServiceAccountStrategy(),
  };
}
