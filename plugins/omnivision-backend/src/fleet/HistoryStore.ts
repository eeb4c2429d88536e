import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import {
  ClusterFigures,
  HISTORY_METRICS,
  HistoryMetric,
} from '@internal/plugin-omnivision-common';
import { migrateDatabase } from '../services/migrateDatabase';

const TABLE = 'omnivision_cluster_figures';

const COLUMN: Record<HistoryMetric, string> = {
  headroom: 'headroom',
  placeholderGpus: 'placeholder_gpus',
  gpusAllocatable: 'gpus_allocatable',
  gpusRequested: 'gpus_requested',
  gpusFree: 'gpus_free',
  nodesReady: 'nodes_ready',
  gpuNodesReady: 'gpu_nodes_ready',
  pendingGpuPods: 'pending_gpu_pods',
  complianceScore: 'compliance_score',
};

/** One cluster's figures at one moment; an unreachable cluster has none. */
export interface ClusterFiguresRecord {
  cluster: string;
  takenAt: Date;
  reachable: boolean;
  figures?: ClusterFigures;
}

/**
 * The fleet's history in the plugin's database (SQLite or PostgreSQL): one row per cluster per
 * minute. Append and read only, apart from dropping what is older than the retention.
 */
export class HistoryStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<HistoryStore> {
    const knex = await migrateDatabase(options.database);
    return new HistoryStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  async record(records: ClusterFiguresRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.knex(TABLE).insert(
      records.map(r => {
        const row: Record<string, unknown> = {
          cluster: r.cluster,
          taken_at_ms: r.takenAt.getTime(),
          reachable: r.reachable,
        };
        for (const metric of HISTORY_METRICS)
          row[COLUMN[metric]] = r.figures ? r.figures[metric] : null;
        return row;
      }),
    );
  }

  /** One metric of one cluster between two moments (inclusive), oldest first. */
  async query(options: {
    cluster: string;
    metric: HistoryMetric;
    from: Date;
    to: Date;
  }): Promise<Array<{ at: string; value: number | null }>> {
    const column = COLUMN[options.metric];
    const rows: Array<{ taken_at_ms: string | number; value: unknown }> =
      await this.knex(TABLE)
        .select('taken_at_ms', `${column} as value`)
        .where('cluster', options.cluster)
        .whereBetween('taken_at_ms', [
          options.from.getTime(),
          options.to.getTime(),
        ])
        .orderBy('taken_at_ms', 'asc');
    return rows.map(row => ({
      at: new Date(Number(row.taken_at_ms)).toISOString(),
      value: row.value === null ? null : Number(row.value),
    }));
  }

  /** Drops the figures taken before a moment; returns how many rows went. */
  async prune(before: Date): Promise<number> {
    return this.knex(TABLE)
      .where('taken_at_ms', '<', before.getTime())
      .delete();
  }
}
