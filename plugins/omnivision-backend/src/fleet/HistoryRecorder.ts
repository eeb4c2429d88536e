import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { computeClusterFigures } from '@internal/plugin-omnivision-common';
import type { FleetStatusService } from './FleetStatusService';
import type { HistoryStore } from './HistoryStore';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the history recorder reads, writes and keeps. */
export interface HistoryRecorderOptions {
  fleet: Pick<FleetStatusService, 'fleet'>;
  store: HistoryStore;
  logger: LoggerService;
  /** How long rows are kept (`omnivision.history.retention`). */
  retentionMs: number;
}

/** A retention as people say it: whole days in days, otherwise in minutes. */
function describeRetention(ms: number): string {
  return ms % DAY_MS === 0
    ? `${ms / DAY_MS} days`
    : `${Math.round(ms / 60_000)} minutes`;
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
    const { fleet, store, logger, retentionMs } = this.options;
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
    const pruned = await store.prune(new Date(now.getTime() - retentionMs));
    if (pruned > 0)
      logger.info(
        `dropped ${pruned} history rows older than ${describeRetention(
          retentionMs,
        )}`,
      );
  }
}
