import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import type { DeploymentRequestStore } from './DeploymentRequestStore';
import type { RequestLifecycle } from './RequestLifecycle';

/** How often the reconciler runs (`omnivision.requests.reconcile` and `.observe`). */
export interface ReconcileSchedule {
  /** Catching up with GitHub after missed webhooks. */
  github: SchedulerServiceTaskScheduleDefinition['frequency'];
  /** Turning what the fleet caches observe into timeline steps. */
  fleet: SchedulerServiceTaskScheduleDefinition['frequency'];
}

/**
 * Repairs what events missed, on Backstage's scheduler (global tasks: one replica at a time runs
 * each): catches up with GitHub (one conditional list of the repository's pull requests, which
 * costs no rate limit while nothing changed; a request whose pull request changed since the
 * store last saw it is read in full) and re-posts any approval verdict that did not reach
 * GitHub; and turns what the fleet caches observe of merged requests into their timeline.
 */
export class RequestReconciler {
  readonly #store: DeploymentRequestStore;
  readonly #gitOps: GitOpsPullRequests;
  readonly #lifecycle: RequestLifecycle;
  readonly #logger: LoggerService;

  static create(options: {
    store: DeploymentRequestStore;
    gitOps: GitOpsPullRequests;
    lifecycle: RequestLifecycle;
    logger: LoggerService;
  }): RequestReconciler {
    return new RequestReconciler(options);
  }

  private constructor(options: Parameters<typeof RequestReconciler.create>[0]) {
    this.#store = options.store;
    this.#gitOps = options.gitOps;
    this.#lifecycle = options.lifecycle;
    this.#logger = options.logger;
  }

  async schedule(
    scheduler: SchedulerService,
    schedule: ReconcileSchedule,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: 'omnivision-requests-github',
      scope: 'global',
      frequency: schedule.github,
      timeout: { minutes: 2 },
      initialDelay: { seconds: 5 },
      fn: () => this.catchUpWithGitHub(),
    });
    await scheduler.scheduleTask({
      id: 'omnivision-requests-fleet',
      scope: 'global',
      frequency: schedule.fleet,
      timeout: { minutes: 1 },
      fn: () => this.#lifecycle.observeFleet(),
    });
  }

  /** Reads what changed on GitHub since the store last saw it. */
  async catchUpWithGitHub(): Promise<void> {
    const unsettled = await this.#store.list({ settled: false });
    if (unsettled.length === 0) return;
    const pulls = new Map(
      (await this.#gitOps.list()).map(pull => [pull.number, pull]),
    );
    for (const { record, pull: known } of unsettled) {
      const n = record.pullRequestNumber;
      const pull = pulls.get(n);
      const unchanged =
        known &&
        known.updatedAt === pull?.updatedAt &&
        known.headSha === pull.headSha &&
        known.merged === pull.merged;
      if (!pull || unchanged) continue;
      try {
        await this.#lifecycle.refresh(n);
      } catch (error) {
        this.#logger.warn(
          `could not catch up with pull request #${n}: ${error}`,
        );
      }
    }
    await this.#lifecycle.regate();
  }
}
