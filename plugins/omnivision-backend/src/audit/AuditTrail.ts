import type {
  AuditorService,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import type { AuditEvent } from '@internal/plugin-omnivision-common';
import type { Knex } from 'knex';
import type { OmniVisionMetrics } from '../metrics';
import { migrateDatabase } from '../services/migrateDatabase';
import { auditEventHash } from './auditChain';
import { advanceAuditChainHead, lockAuditChainHead } from './auditChainHead';
import {
  AUDIT_EVENTS_TABLE,
  AuditEventRow,
  auditChainContentOf,
  auditEventOf,
} from './auditEventRows';
import { MAX_AUDIT_KEY_LENGTH } from './lifecycleEventKey';
import { AuditChainVerification, verifyAuditChain } from './verifyAuditChain';

/** A filter over the audit trail; every field narrows it. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: 'succeeded' | 'refused';
  pullRequestNumber?: number;
  from?: Date;
  to?: Date;
}

/** One page of the trail, oldest first. */
export interface AuditPage {
  items: AuditEvent[];
  /** The `after` of the next page; absent on the last. */
  nextCursor?: number;
}

/** An event to append: `at` defaults to now; `key` makes it idempotent. */
export type AuditEventInput = Omit<AuditEvent, 'id' | 'at'> & { at?: Date };

/** What appending did: `recorded: false` when an event with the same key is in the trail. */
export interface AuditAppendResult {
  recorded: boolean;
  /** The new event's id, when recorded. */
  id?: number;
}

/** The page size of `page` when none is asked for, and the largest one it serves. */
export const AUDIT_PAGE_SIZE = { default: 500, max: 5000 } as const;

/**
 * The HIPAA audit trail in the plugin's database: append and read, nothing else. There is no
 * update or delete path in code, and the database refuses both (a trigger on SQLite and
 * PostgreSQL; see the migrations). Each event carries a hash over the previous event's hash and
 * its own content, so that tampering shows (`verify`); appends run one at a time across every
 * backend on the database, so the chain never forks. An event with an idempotency key is
 * recorded once, however many replicas append it (a unique index enforces it). Each recorded
 * event also goes to Backstage's auditor, when given, for the organisation's log pipeline.
 */
export class AuditTrail {
  static async create(options: {
    database: DatabaseService;
    auditor?: AuditorService;
    /** Where failed writes are counted (`omnivision.audit.write.failures`). */
    metrics?: OmniVisionMetrics;
  }): Promise<AuditTrail> {
    return new AuditTrail(
      await migrateDatabase(options.database),
      options.auditor,
      options.metrics,
    );
  }

  readonly #knex: Knex;
  readonly #auditor?: AuditorService;
  readonly #metrics?: OmniVisionMetrics;

  private constructor(
    knex: Knex,
    auditor?: AuditorService,
    metrics?: OmniVisionMetrics,
  ) {
    this.#knex = knex;
    this.#auditor = auditor;
    this.#metrics = metrics;
  }

  /**
   * Appends one event at the end of the chain, unless its `key` is already in the trail (then
   * nothing is written, nor sent to the auditor).
   */
  async append(event: AuditEventInput): Promise<AuditAppendResult> {
    if (
      event.key !== undefined &&
      (event.key.length === 0 || event.key.length > MAX_AUDIT_KEY_LENGTH)
    ) {
      throw new TypeError(
        `an audit key has 1 to ${MAX_AUDIT_KEY_LENGTH} characters`,
      );
    }
    const content = {
      at_ms: (event.at ?? new Date()).getTime(),
      actor: event.actor,
      action: event.action,
      outcome: event.outcome,
      pull_request_number: event.pullRequestNumber ?? null,
      model: event.model ?? null,
      region: event.region ?? null,
      reason: event.reason ?? null,
      event_key: event.key ?? null,
      github_login: event.githubLogin ?? null,
    };
    const failed = (reason: 'database' | 'auditor') => (error: unknown) => {
      this.#metrics?.auditWriteFailures.add(1, {
        action: event.action,
        reason,
      });
      throw error;
    };
    const appended = await this.#knex
      .transaction(async trx => {
        const head = await lockAuditChainHead(trx);
        if (content.event_key !== null) {
          const known = await trx(AUDIT_EVENTS_TABLE)
            .where('event_key', content.event_key)
            .first('id');
          if (known) return undefined;
        }
        const seq = head.seq + 1;
        const hash = auditEventHash(
          head.hash,
          auditChainContentOf({ ...content, seq }),
        );
        const [inserted] = await trx(AUDIT_EVENTS_TABLE)
          .insert({ ...content, seq, prev_hash: head.hash, hash })
          .returning('id');
        const id = Number(
          typeof inserted === 'object' ? inserted.id : inserted,
        );
        await advanceAuditChainHead(trx, { seq, hash, eventId: id });
        return { id, hash };
      })
      .catch(failed('database'));
    if (!appended) return { recorded: false };
    await this.#forward(event, appended).catch(failed('auditor'));
    return { recorded: true, id: appended.id };
  }

  async #forward(
    event: AuditEventInput,
    appended: { id: number; hash: string },
  ): Promise<void> {
    if (!this.#auditor) return;
    const audited = await this.#auditor.createEvent({
      eventId: event.action.replace('.', '-'),
      severityLevel: event.outcome === 'refused' ? 'high' : 'medium',
      meta: {
        actor: event.actor,
        outcome: event.outcome,
        ...(event.pullRequestNumber !== undefined && {
          pullRequestNumber: event.pullRequestNumber,
        }),
        ...(event.model && { model: event.model }),
        ...(event.region && { region: event.region }),
        ...(event.githubLogin && { githubLogin: event.githubLogin }),
        // Where the event stands in the trail's hash chain: a copy outside the database.
        auditEventId: appended.id,
        auditEventHash: appended.hash,
      },
    });
    if (event.outcome === 'refused') {
      await audited.fail({ error: new Error(event.reason ?? 'refused') });
    } else {
      await audited.success();
    }
  }

  /**
   * Every event matching the query, oldest first, read a page at a time. For narrow queries
   * (one request's events); `stream` walks a large result without holding it.
   */
  async query(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    for await (const event of this.stream(query, {
      pageSize: AUDIT_PAGE_SIZE.max,
    })) {
      events.push(event);
    }
    return events;
  }

  /** One page of the events matching the query: those after the id `after`, oldest first. */
  async page(
    query: AuditQuery = {},
    page: { after?: number; limit?: number } = {},
  ): Promise<AuditPage> {
    const limit = page.limit ?? AUDIT_PAGE_SIZE.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_SIZE.max) {
      throw new RangeError(
        `a page has 1 to ${AUDIT_PAGE_SIZE.max} events, not ${limit}`,
      );
    }
    let q = this.#knex(AUDIT_EVENTS_TABLE).select('*');
    if (query.actor) q = q.where('actor', query.actor);
    if (query.action) q = q.where('action', query.action);
    if (query.outcome) q = q.where('outcome', query.outcome);
    if (query.pullRequestNumber !== undefined)
      q = q.where('pull_request_number', query.pullRequestNumber);
    if (query.from) q = q.where('at_ms', '>=', query.from.getTime());
    if (query.to) q = q.where('at_ms', '<=', query.to.getTime());
    if (page.after !== undefined) q = q.where('id', '>', page.after);
    const rows: AuditEventRow[] = await q.orderBy('id', 'asc').limit(limit + 1);
    const items = rows.slice(0, limit).map(auditEventOf);
    return rows.length > limit
      ? { items, nextCursor: items[items.length - 1].id }
      : { items };
  }

  /** Every event matching the query, oldest first, read a page at a time as it is consumed. */
  async *stream(
    query: AuditQuery = {},
    options: { pageSize?: number } = {},
  ): AsyncGenerator<AuditEvent> {
    let after: number | undefined;
    do {
      const page = await this.page(query, {
        after,
        limit: options.pageSize ?? AUDIT_PAGE_SIZE.default,
      });
      yield* page.items;
      after = page.nextCursor;
    } while (after !== undefined);
  }

  /** Walks the whole hash chain, a page at a time, and says whether and where it breaks. */
  async verify(
    options: { pageSize?: number } = {},
  ): Promise<AuditChainVerification> {
    return verifyAuditChain(this.#knex, options);
  }
}
