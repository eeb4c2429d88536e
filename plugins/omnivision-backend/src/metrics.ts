import type {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceObservableCallback,
  MetricsServiceObservableGauge,
} from '@backstage/backend-plugin-api/alpha';
import type { GitHubRateLimit } from '@internal/plugin-omnivision-node';

/** Where a cluster is: the attributes of every fleet instrument. */
export interface ClusterAttributes {
  [key: string]: string;
  cluster: string;
  region: string;
}

/** What failed in a cluster's cache: the attributes of `omnivision.fleet.cache.errors`. */
export interface FleetCacheErrorAttributes extends ClusterAttributes {
  /** `list`, `watch` (opening it, or an `ERROR` event in its stream) or `probe` (`GET /version`). */
  operation: 'list' | 'watch' | 'probe';
  /** The resource kind's plural (`pods`); `version` for the probe. */
  resource: string;
  /** The HTTP status code (`403`), or `timeout` / `network` when nothing answered. */
  reason: string;
}

/** The outcome of one GitHub webhook delivery. */
export type WebhookDeliveryOutcome = 'accepted' | 'ignored' | 'failed';

/** The attributes of `omnivision.webhook.deliveries`. */
export interface WebhookDeliveryAttributes {
  [key: string]: string;
  /** GitHub's event, e.g. `pull_request`. */
  event: string;
  outcome: WebhookDeliveryOutcome;
}

/** The attributes of `omnivision.audit.write.failures`. */
export interface AuditWriteFailureAttributes {
  [key: string]: string;
  /** The audit event's action, e.g. `request.merged`. */
  action: string;
  /** `database` (the write failed) or `auditor` (written, not forwarded to Backstage's auditor). */
  reason: 'database' | 'auditor';
}

/** The instruments' names, as the OpenTelemetry SDK exports them (README: Metrics). */
export const OMNIVISION_METRIC_NAMES = {
  clusterStaleness: 'omnivision.fleet.cluster.staleness',
  cacheStaleness: 'omnivision.fleet.cache.staleness',
  cacheErrors: 'omnivision.fleet.cache.errors',
  gitHubRateLimitRemaining: 'omnivision.github.rate_limit.remaining',
  gitHubRateLimitLimit: 'omnivision.github.rate_limit.limit',
  gitHubRateLimitReset: 'omnivision.github.rate_limit.reset',
  webhookDeliveries: 'omnivision.webhook.deliveries',
  auditWriteFailures: 'omnivision.audit.write.failures',
} as const;

/**
 * The plugin's OpenTelemetry instruments, each defined once, on Backstage's metrics service
 * (`metricsServiceRef`, whose meter is the plugin's instrumentation scope,
 * `backstage-plugin-omnivision`). Counters are added to where things happen; gauges are read
 * when the SDK collects, from callbacks that the owners of the figures register.
 */
export class OmniVisionMetrics {
  /** Failed lists, watches and probes of a cluster's API server. */
  readonly fleetCacheErrors: MetricsServiceCounter<FleetCacheErrorAttributes>;
  /** GitHub webhook deliveries by event and outcome. */
  readonly webhookDeliveries: MetricsServiceCounter<WebhookDeliveryAttributes>;
  /** Audit events that could not be written (or forwarded). */
  readonly auditWriteFailures: MetricsServiceCounter<AuditWriteFailureAttributes>;
  readonly #clusterStaleness: MetricsServiceObservableGauge<ClusterAttributes>;
  readonly #cacheStaleness: MetricsServiceObservableGauge<
    ClusterAttributes & { resource: string }
  >;
  readonly #rateLimit: {
    remaining: MetricsServiceObservableGauge<{ resource: string }>;
    limit: MetricsServiceObservableGauge<{ resource: string }>;
    reset: MetricsServiceObservableGauge<{ resource: string }>;
  };

  static create(metrics: MetricsService): OmniVisionMetrics {
    return new OmniVisionMetrics(metrics);
  }

  private constructor(metrics: MetricsService) {
    const names = OMNIVISION_METRIC_NAMES;
    this.#clusterStaleness = metrics.createObservableGauge(
      names.clusterStaleness,
      {
        description:
          'Seconds since the portal last heard from the cluster (its probe or any watch); past omnivision.fleet.staleAfter the fleet pages show its figures as stale',
        unit: 's',
      },
    );
    this.#cacheStaleness = metrics.createObservableGauge(names.cacheStaleness, {
      description:
        'Seconds since a resource cache of a cluster was last current: 0 while its watch is up, then growing until a list or watch succeeds again',
      unit: 's',
    });
    this.fleetCacheErrors = metrics.createCounter(names.cacheErrors, {
      description:
        "Failed lists, watches and probes of a cluster's API server, by operation, resource kind and reason (HTTP status code, timeout or network)",
      unit: '{error}',
    });
    this.#rateLimit = {
      remaining: metrics.createObservableGauge(names.gitHubRateLimitRemaining, {
        description:
          "Requests left in the portal's own GitHub rate limit window, as GitHub's last answer to the portal said (x-ratelimit-remaining)",
        unit: '{request}',
      }),
      limit: metrics.createObservableGauge(names.gitHubRateLimitLimit, {
        description:
          "The portal's GitHub rate limit per window (x-ratelimit-limit)",
        unit: '{request}',
      }),
      reset: metrics.createObservableGauge(names.gitHubRateLimitReset, {
        description:
          "Seconds until the portal's GitHub rate limit window resets (x-ratelimit-reset); 0 once past",
        unit: 's',
      }),
    };
    this.webhookDeliveries = metrics.createCounter(names.webhookDeliveries, {
      description:
        'GitHub webhook deliveries of the GitOps repository, by event and outcome (accepted: it changed or confirmed a request; ignored: another repository or no recorded request; failed: taking it in threw, the reconciler catches up)',
      unit: '{delivery}',
    });
    this.auditWriteFailures = metrics.createCounter(names.auditWriteFailures, {
      description:
        'Audit events that could not be appended to the audit trail (database) or forwarded to the auditor, by action and reason',
      unit: '{event}',
    });
  }

  /**
   * Reports each cluster's staleness at every collection, from `read`; returns the function
   * that stops it.
   */
  observeClusterStaleness(
    read: () => Iterable<{ attributes: ClusterAttributes; seconds: number }>,
  ): () => void {
    const callback: MetricsServiceObservableCallback<
      ClusterAttributes
    > = result => {
      for (const { attributes, seconds } of read()) {
        result.observe(seconds, attributes);
      }
    };
    this.#clusterStaleness.addCallback(callback);
    return () => this.#clusterStaleness.removeCallback(callback);
  }

  /** Reports each resource cache's staleness at every collection; returns the function that stops it. */
  observeCacheStaleness(
    read: () => Iterable<{
      attributes: ClusterAttributes & { resource: string };
      seconds: number;
    }>,
  ): () => void {
    const callback: MetricsServiceObservableCallback<
      ClusterAttributes & { resource: string }
    > = result => {
      for (const { attributes, seconds } of read()) {
        result.observe(seconds, attributes);
      }
    };
    this.#cacheStaleness.addCallback(callback);
    return () => this.#cacheStaleness.removeCallback(callback);
  }

  /** Reports the portal's GitHub rate limits, per GitHub resource (`core`, `graphql`, …), from `read`. */
  observeGitHubRateLimits(read: () => GitHubRateLimit[]): void {
    const each =
      (figure: (limit: GitHubRateLimit) => number | undefined) =>
      (result: { observe(v: number, a: { resource: string }): void }) => {
        for (const limit of read()) {
          const value = figure(limit);
          if (value !== undefined) {
            result.observe(value, { resource: limit.resource });
          }
        }
      };
    this.#rateLimit.remaining.addCallback(each(l => l.remaining));
    this.#rateLimit.limit.addCallback(each(l => l.limit));
    this.#rateLimit.reset.addCallback(
      each(l =>
        l.resetAt === undefined
          ? undefined
          : Math.max(0, Math.round((l.resetAt.getTime() - Date.now()) / 1000)),
      ),
    );
  }
}
