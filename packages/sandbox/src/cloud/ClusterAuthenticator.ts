import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import type { AwsCredentialIssuer } from './AwsCredentialIssuer';
import {
  EKS_TOKEN_PREFIX,
  EksTokenError,
  verifyEksToken,
} from './EksTokenVerifier';
import type { GoogleAccessTokens } from './GoogleAccessTokens';

/** Who made a request to an API server, by the label `/sandbox/stats` counts it under. */
export type ClusterPrincipal =
  | { authenticated: true; label: string }
  | {
      authenticated: false;
      label: 'anonymous' | 'invalid-token';
      reason?: string;
    };

/**
 * Authenticates the bearer tokens of the simulated API servers as their clouds do: an EKS
 * cluster takes aws-iam-authenticator tokens (`k8s-aws-v1.…`) for its cluster id, a GKE
 * cluster Google OAuth access tokens (`ya29.…`) from the sandbox's metadata server; both also
 * take their named static token (for test tools). A token of the other cloud is refused.
 * Principals: the caller's ARN (the assumed role's, or the test user's), the service account's
 * email, `static:<name>`.
 */
export class ClusterAuthenticator {
  constructor(
    private readonly aws: AwsCredentialIssuer,
    private readonly google: GoogleAccessTokens,
    /** Epoch milliseconds. */
    private readonly now: () => number,
  ) {}

  async authenticate(
    cluster: SimulatedCluster,
    token: string,
  ): Promise<ClusterPrincipal> {
    if (!token) return { authenticated: false, label: 'anonymous' };
    const { spec } = cluster;
    if (token === spec.token) {
      return { authenticated: true, label: `static:${spec.tokenName}` };
    }
    if (spec.cloud === 'aws' && token.startsWith(EKS_TOKEN_PREFIX)) {
      try {
        const identity = await verifyEksToken(token, {
          clusterId: spec.name,
          issuer: this.aws,
          nowMs: this.now(),
        });
        return { authenticated: true, label: identity.arn };
      } catch (error) {
        if (!(error instanceof EksTokenError)) throw error;
        return {
          authenticated: false,
          label: 'invalid-token',
          reason: error.message,
        };
      }
    }
    if (spec.cloud === 'gcp') {
      const email = this.google.verify(token, this.now());
      if (email) return { authenticated: true, label: email };
    }
    return { authenticated: false, label: 'invalid-token' };
  }
}
