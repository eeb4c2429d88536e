import type { DatabaseService } from '@backstage/backend-plugin-api';
import { isDeepStrictEqual } from 'node:util';
import { ConflictError } from '@backstage/errors';
import type {
  ApprovalVerdict,
  DeploymentObservation,
  DeploymentRequestRecord,
  PolicyResult,
  PolicyRule,
} from '@internal/plugin-omnivision-common';
import type {
  GitOpsPullRequest,
  GitOpsPullRequestDetail,
} from '@internal/plugin-omnivision-node';
import type { Knex } from 'knex';
import { migrateDatabase } from '../services/migrateDatabase';

const TABLE = 'omnivision_deployment_requests';
const OBSERVATIONS = 'omnivision_request_observations';

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

function recordOf(row: any): DeploymentRequestRecord {
  return {
    pullRequestNumber: Number(row.pull_request_number),
    pullRequestUrl: row.pull_request_url,
    branch: row.branch,
    requester: row.requester,
    team: row.team ?? '',
    kind: row.kind ?? 'deploy',
    model: row.model,
    ...(row.version && { version: row.version }),
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

/** Where a pull request stands, as a column that queries can use. */
export type PullRequestStateColumn = 'open' | 'closed' | 'merged';

function stateOf(pull: GitOpsPullRequest): PullRequestStateColumn {
  if (pull.merged) return 'merged';
  return pull.state;
}

/** A recorded request with what the portal last learnt of its pull request. */
export interface StoredRequest {
  record: DeploymentRequestRecord;
  /** Its pull request, as GitHub's events and the reconciler told it. */
  pull?: GitOpsPullRequestDetail;
  /** The `omnivision/approval` verdict last posted on its head. */
  approval?: ApprovalVerdict;
  /** Closed, or merged and healthy or failed in every region: nothing more to observe. */
  settled: boolean;
}

function storedOf(row: any): StoredRequest {
  return {
    record: recordOf(row),
    pull: row.pull_request ? JSON.parse(row.pull_request) : undefined,
    approval: row.approval ? JSON.parse(row.approval) : undefined,
    settled: !!row.settled,
  };
}

/** Which requests to list. */
export interface StoredRequestQuery {
  requester?: string;
  model?: string;
  /** Only requests whose pull request is in one of these states. */
  states?: PullRequestStateColumn[];
  settled?: boolean;
}

/**
 * Deployment requests in the plugin's database, one per pull request: the record (who asked for
 * what; the requester is fixed when first recorded), what the portal last learnt of the pull
 * request, the approval verdict it posted, and what it observed in each region once merged.
 */
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
   * again and updated its pull request. Returns whether it was new. The requester never changes:
   * another person's record of the same pull request is refused and changes nothing.
   */
  async upsert(
    record: Omit<DeploymentRequestRecord, 'createdAt' | 'updatedAt'>,
    at: Date = new Date(),
  ): Promise<{ created: boolean }> {
    return this.#knex.transaction(async tx => {
      const existing = await tx(TABLE)
        .where('pull_request_number', record.pullRequestNumber)
        .forUpdate()
        .first();
      if (existing && existing.requester !== record.requester) {
        throw new ConflictError(
          `pull request #${record.pullRequestNumber} is ${existing.requester}'s request; it stays theirs`,
        );
      }
      const row = {
        pull_request_url: record.pullRequestUrl,
        branch: record.branch,
        team: record.team,
        kind: record.kind ?? 'deploy',
        version: record.version || null,
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
        requester: record.requester,
        pull_request_number: record.pullRequestNumber,
        created_at_ms: at.getTime(),
      });
      return { created: true };
    });
  }

  async get(pullRequestNumber: number): Promise<StoredRequest | undefined> {
    const row = await this.#knex(TABLE)
      .where('pull_request_number', pullRequestNumber)
      .first();
    return row ? storedOf(row) : undefined;
  }

  /** Requests matching the query, newest first. */
  async list(query: StoredRequestQuery = {}): Promise<StoredRequest[]> {
    let q = this.#knex(TABLE).select('*');
    if (query.requester) q = q.where('requester', query.requester);
    if (query.model) q = q.where('model', query.model);
    if (query.states) q = q.whereIn('pull_request_state', query.states);
    if (query.settled !== undefined) q = q.where('settled', query.settled);
    const rows = await q.orderBy('created_at_ms', 'desc').limit(1000);
    return rows.map(storedOf);
  }

  /**
   * Changes what the portal knows of a request's pull request, one change at a time per request
   * (a row lock on PostgreSQL; SQLite serialises writers): `change` gets the stored state and
   * returns the new one, or undefined to leave it. Returns the states before and after, or
   * undefined when the request is unknown or nothing changed.
   */
  async updatePull(
    pullRequestNumber: number,
    change: (stored: StoredRequest) => GitOpsPullRequestDetail | undefined,
  ): Promise<{ before: StoredRequest; after: StoredRequest } | undefined> {
    return this.#knex.transaction(async tx => {
      const row = await tx(TABLE)
        .where('pull_request_number', pullRequestNumber)
        .forUpdate()
        .first();
      if (!row) return undefined;
      const before = storedOf(row);
      const pull = change(before);
      if (!pull || isDeepStrictEqual(pull, before.pull)) return undefined;
      await tx(TABLE)
        .where('pull_request_number', pullRequestNumber)
        .update({
          pull_request: JSON.stringify(pull),
          pull_request_state: stateOf(pull),
          ...(pull.state === 'closed' && !pull.merged && { settled: true }),
        });
      return {
        before,
        after: {
          ...before,
          pull,
          settled: before.settled || (pull.state === 'closed' && !pull.merged),
        },
      };
    });
  }

  /**
   * Remembers the verdict posted on a head; returns false when the same verdict was already
   * remembered (another replica posted it).
   */
  async setApproval(
    pullRequestNumber: number,
    verdict: ApprovalVerdict,
  ): Promise<boolean> {
    return this.#knex.transaction(async tx => {
      const row = await tx(TABLE)
        .where('pull_request_number', pullRequestNumber)
        .forUpdate()
        .first();
      if (!row) return false;
      const before = row.approval ? JSON.parse(row.approval) : undefined;
      if (isDeepStrictEqual(before, verdict)) return false;
      await tx(TABLE)
        .where('pull_request_number', pullRequestNumber)
        .update({ approval: JSON.stringify(verdict) });
      return true;
    });
  }

  /** Marks a request as having nothing more to observe. */
  async settle(pullRequestNumber: number): Promise<void> {
    await this.#knex(TABLE)
      .where('pull_request_number', pullRequestNumber)
      .update({ settled: true });
  }

  /**
   * Records an observation once: false when the same stage of the same revision (and canary
   * step) in the region was already recorded, by this replica or another.
   */
  async addObservation(
    pullRequestNumber: number,
    observation: DeploymentObservation,
  ): Promise<boolean> {
    const inserted = await this.#knex(OBSERVATIONS)
      .insert({
        pull_request_number: pullRequestNumber,
        stage: observation.stage,
        region: observation.region,
        revision: observation.revision,
        step: observation.step ?? 0,
        at_ms: new Date(observation.at).getTime(),
        detail: observation.detail ?? null,
      })
      .onConflict([
        'pull_request_number',
        'stage',
        'region',
        'revision',
        'step',
      ])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** The observations of the given requests, by request, oldest first. */
  async observations(
    pullRequestNumbers: number[],
  ): Promise<Map<number, DeploymentObservation[]>> {
    const byRequest = new Map<number, DeploymentObservation[]>(
      pullRequestNumbers.map(n => [n, []]),
    );
    if (pullRequestNumbers.length === 0) return byRequest;
    const rows = await this.#knex(OBSERVATIONS)
      .whereIn('pull_request_number', pullRequestNumbers)
      .orderBy('id', 'asc');
    for (const row of rows) {
      byRequest.get(Number(row.pull_request_number))?.push({
        stage: row.stage,
        region: row.region,
        revision: row.revision,
        at: new Date(Number(row.at_ms)).toISOString(),
        ...(row.step && { step: Number(row.step) }),
        ...(row.detail !== null && { detail: row.detail }),
      });
    }
    return byRequest;
  }
}
