import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  DeploymentRequestRecord,
  PolicyResult,
  PolicyRule,
} from '@internal/plugin-omnivision-common';
import type { Knex } from 'knex';
import { migrateDatabase } from '../services/migrateDatabase';

const TABLE = 'omnivision_deployment_requests';

/**
 * Requests recorded before the policy returned its results kept the names of the rules they
 * passed (always the same list): read them as passed results of those rules.
 */
const LEGACY_RULES: Array<[RegExp, PolicyRule]> = [
  [/^model in the catalog/, 'model'],
  [/^DNS-1123 names/, 'name'],
  [/^GPU profile offered/, 'placement'],
  [/^GPU memory/, 'memory'],
  [/^replicas/, 'replicas'],
  [/^team quota/, 'quota'],
  [/^image pinned/, 'image'],
];

function policyResultsOf(stored: unknown): PolicyResult[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry): PolicyResult[] => {
    if (typeof entry !== 'string') return [entry as PolicyResult];
    const rule = LEGACY_RULES.find(([pattern]) => pattern.test(entry))?.[1];
    return rule ? [{ rule, passed: true, message: entry }] : [];
  });
}

function fromRow(row: any): DeploymentRequestRecord {
  return {
    pullRequestNumber: Number(row.pull_request_number),
    pullRequestUrl: row.pull_request_url,
    branch: row.branch,
    requester: row.requester,
    model: row.model,
    gpuProfile: row.gpu_profile,
    regions: JSON.parse(row.regions),
    minReplicas: Number(row.min_replicas),
    maxReplicas: Number(row.max_replicas),
    rollout: row.rollout,
    policyResults: policyResultsOf(JSON.parse(row.policy_results)),
    filesDigest: row.files_digest,
    createdAt: new Date(Number(row.created_at_ms)).toISOString(),
    updatedAt: new Date(Number(row.updated_at_ms)).toISOString(),
  };
}

/** Deployment requests in the plugin's database, one per pull request. */
export class DeploymentRequestStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DeploymentRequestStore> {
    return new DeploymentRequestStore(await migrateDatabase(options.database));
  }

  readonly #knex: Knex;

  private constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Records a request when its pull request opens, or the same request's new files when it ran
   * again and updated its pull request. Returns whether it was new.
   */
  async upsert(
    record: Omit<DeploymentRequestRecord, 'createdAt' | 'updatedAt'>,
    at: Date = new Date(),
  ): Promise<{ created: boolean }> {
    return this.#knex.transaction(async tx => {
      const existing = await tx(TABLE)
        .where('pull_request_number', record.pullRequestNumber)
        .first();
      const row = {
        pull_request_url: record.pullRequestUrl,
        branch: record.branch,
        requester: record.requester,
        model: record.model,
        gpu_profile: record.gpuProfile,
        regions: JSON.stringify(record.regions),
        min_replicas: record.minReplicas,
        max_replicas: record.maxReplicas,
        rollout: record.rollout,
        policy_results: JSON.stringify(record.policyResults),
        files_digest: record.filesDigest,
        updated_at_ms: at.getTime(),
      };
      if (existing) {
        await tx(TABLE)
          .where('pull_request_number', record.pullRequestNumber)
          .update(row);
        return { created: false };
      }
      await tx(TABLE).insert({
        ...row,
        pull_request_number: record.pullRequestNumber,
        created_at_ms: at.getTime(),
      });
      return { created: true };
    });
  }

  async get(
    pullRequestNumber: number,
  ): Promise<DeploymentRequestRecord | undefined> {
    const row = await this.#knex(TABLE)
      .where('pull_request_number', pullRequestNumber)
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Every request, or one person's, newest first. */
  async list(
    options: { requester?: string } = {},
  ): Promise<DeploymentRequestRecord[]> {
    let q = this.#knex(TABLE).select('*');
    if (options.requester) q = q.where('requester', options.requester);
    const rows = await q.orderBy('created_at_ms', 'desc').limit(1000);
    return rows.map(fromRow);
  }
}
