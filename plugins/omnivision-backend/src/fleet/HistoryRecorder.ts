import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { computeClusterFigures } from '@internal/plugin-omnivision-common';
import type { FleetStatusService } from './FleetStatusService';
import type { HistoryStore } from './HistoryStore';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HistoryRecorderOptions {
  fleet: Pick<FleetStatusService, 'fleet'>;
  store: HistoryStore;
  logger: LoggerService;
  retentionDays: number;
}

/**
 * Records each cluster's headline figures into the history every minute, and drops what is
 * older than the retention. Scheduled as a global task, so that of several replicas of the
 * portal only one records each minute.
 */
export class HistoryRecorder {
  static create(options: HistoryRecorderOptions): HistoryRecorder {
    return new HistoryRecorder(options);
  }

  private constructor(private readonly options: HistoryRecorderOptions) {}

  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: 'omnivision-fleet-history',
      frequency: { minutes: 1 },
      timeout: { seconds: 50 },
      initialDelay: { seconds: 30 },
      scope: 'global',
      fn: () => this.recordOnce(),
    });
  }

  /** Records the fleet's figures now; a cluster whose caches were never filled is skipped. */
  async recordOnce(now = new Date()): Promise<void> {
    const { fleet, store, logger, retentionDays } = this.options;
    const records = fleet
      .fleet()
      .clusters.filter(c => c.health.synced || !c.health.reachable)
      .map(c => ({
        cluster: c.name,
        takenAt: now,
        reachable: c.health.reachable && c.health.synced,
        figures:
          c.health.reachable && c.health.synced
            ? computeClusterFigures(c.gpu, c.warmPool, c.compliance.score)
            : undefined,
      }));
    await store.record(records);
    const pruned = await store.prune(
      new Date(now.getTime() - retentionDays * DAY_MS),
    );
    if (pruned > 0)
      logger.info(
        `dropped ${pruned} history rows older than ${retentionDays} days`,
      );
  }
}
