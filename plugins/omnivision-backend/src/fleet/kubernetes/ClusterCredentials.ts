import type {
  AuthenticationStrategy,
  ClusterDetails,
} from '@backstage/plugin-kubernetes-node';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterEndpoint } from './ClusterConnection';

/**
 * The ways the fleet proves who it is to a cluster, each through Backstage's own strategy
 * (`@backstage/plugin-kubernetes-backend`): an IAM role on EKS (IRSA), a Google service account
 * on GKE (workload identity), or a Kubernetes service account (the in-cluster token file, or a
 * `serviceAccountToken` for a cluster without cloud identity).
 */
export const FLEET_AUTH_PROVIDERS = [
  'aws',
  'googleServiceAccount',
  'serviceAccount',
] as const;

/** One of {@link FLEET_AUTH_PROVIDERS}. */
export type FleetAuthProvider = (typeof FLEET_AUTH_PROVIDERS)[number];

/** The strategy of each provider the fleet reads clusters with. */
export type FleetAuthStrategies = Record<
  FleetAuthProvider,
  AuthenticationStrategy
>;

export function isFleetAuthProvider(
  provider: string | undefined,
): provider is FleetAuthProvider {
  return (FLEET_AUTH_PROVIDERS as readonly string[]).includes(provider ?? '');
}

/** The provider a cluster's auth metadata names (`kubernetes.io/auth-provider`). */
export function authProviderOf(endpoint: ClusterEndpoint): string | undefined {
  return endpoint.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
}

/**
 * How long a credential is used before a new one is asked for: well inside its lifetime, so a
 * request never goes out with one about to expire. An EKS token (a presigned STS request) is
 * accepted for 15 minutes after it was signed, but no longer than the role session that signed
 * it, which the AWS SDK renews only when less than 5 minutes are left: 4 minutes stays inside
 * both. The GKE metadata server, likewise, hands out its cached access token until about 5
 * minutes before it ends. A projected service-account token file is rotated by the kubelet, so
 * it is read again too.
 */
export const CREDENTIAL_REFRESH_AFTER_MS: Record<FleetAuthProvider, number> = {
  aws: 4 * 60_000,
  googleServiceAccount: 4 * 60_000,
  serviceAccount: 5 * 60_000,
};

interface HeldCredential {
  token: string | undefined;
  obtainedAt: number;
}

/**
 * The bearer token the fleet presents to one cluster, from the cluster's strategy: kept while
 * fresh, asked for again before it expires and after the API server refused it (401). Callers
 * asking at once share one request for it. A strategy's failure is thrown to the caller, which
 * reports the cluster unreachable with that reason, and nothing is kept.
 */
export class ClusterCredentials {
  readonly #cluster: ClusterDetails;
  readonly #strategy: AuthenticationStrategy;
  readonly #refreshAfterMs: number;
  readonly #now: () => number;
  #held: HeldCredential | undefined;
  #pending: Promise<string | undefined> | undefined;

  static create(options: {
    endpoint: ClusterEndpoint;
    /** At least the strategy of the endpoint's provider. */
    strategies: Partial<FleetAuthStrategies>;
    /** Overrides the provider's {@link CREDENTIAL_REFRESH_AFTER_MS} (tests). */
    refreshAfterMs?: number;
    now?: () => number;
  }): ClusterCredentials {
    const provider = authProviderOf(options.endpoint);
    const strategy = isFleetAuthProvider(provider)
      ? options.strategies[provider]
      : undefined;
    if (!isFleetAuthProvider(provider) || !strategy) {
      throw new Error(
        `kubernetes cluster ${
          options.endpoint.name
        }: the fleet reads clusters with ${FLEET_AUTH_PROVIDERS.join(
          ', ',
        )}, not ${provider ?? 'no authProvider'}`,
      );
    }
    return new ClusterCredentials(
      {
        name: options.endpoint.name,
        url: options.endpoint.url,
        authMetadata: options.endpoint.authMetadata,
        skipTLSVerify: options.endpoint.skipTLSVerify,
        caData: options.endpoint.caData,
      },
      strategy,
      options.refreshAfterMs ?? CREDENTIAL_REFRESH_AFTER_MS[provider],
      options.now ?? Date.now,
    );
  }

  private constructor(
    cluster: ClusterDetails,
    strategy: AuthenticationStrategy,
    refreshAfterMs: number,
    now: () => number,
  ) {
    this.#cluster = cluster;
    this.#strategy = strategy;
    this.#refreshAfterMs = refreshAfterMs;
    this.#now = now;
  }

  /** The token to present now; `undefined` when the strategy says anonymous. */
  async token(): Promise<string | undefined> {
    const held = this.#held;
    if (held && this.#now() - held.obtainedAt < this.#refreshAfterMs) {
      return held.token;
    }
    this.#pending ??= this.#obtain().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /**
   * The API server refused `token` (401): it is not presented again. Returns whether it was the
   * one held (false when a newer one already is, or none).
   */
  refused(token: string | undefined): boolean {
    if (!this.#held || this.#held.token !== token) return false;
    this.#held = undefined;
    return true;
  }

  async #obtain(): Promise<string | undefined> {
    const obtainedAt = this.#now();
    const credential = await this.#strategy.getCredential(this.#cluster, {});
    let token: string | undefined;
    if (credential.type === 'bearer token') token = credential.token;
    else if (credential.type !== 'anonymous') {
      throw new Error(
        `kubernetes cluster ${
          this.#cluster.name
        }: the fleet presents bearer tokens, not a ${credential.type}`,
      );
    }
    this.#held = { token, obtainedAt };
    return token;
  }
}
