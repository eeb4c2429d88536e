import type {
  AuditorService,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import type { AuditEvent } from '@internal/plugin-omnivision-common';
import type { Knex } from 'knex';
import { migrateDatabase } from '../services/migrateDatabase';

const TABLE = 'omnivision_audit_events';

/** A filter over the audit trail; every field narrows it. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: 'succeeded' | 'refused';
  pullRequestNumber?: number;
  from?: Date;
  to?: Date;
  limit?: number;
}

/**
 * The HIPAA audit trail in the plugin's database: append and read, nothing else. There is no
 * update or delete path in code, and the database refuses both (a trigger on SQLite and
 * PostgreSQL; see the migration). Each event also goes to Backstage's auditor, when given, for
 * the organisation's log pipeline.
 */
export class AuditTrail {
  static async create(options: {
    database: DatabaseService;
    auditor?: AuditorService;
  }): Promise<AuditTrail> {
    return new AuditTrail(
      await migrateDatabase(options.database),
      options.auditor,
    );
  }

  readonly #knex: Knex;
  readonly #auditor?: AuditorService;

  private constructor(knex: Knex, auditor?: AuditorService) {
    this.#knex = knex;
    this.#auditor = auditor;
  }

  /** Appends one event; `at` defaults to now. */
  async append(
    event: Omit<AuditEvent, 'id' | 'at'> & { at?: Date },
  ): Promise<void> {
    await this.#knex(TABLE).insert({
      at_ms: (event.at ?? new Date()).getTime(),
      actor: event.actor,
      action: event.action,
      outcome: event.outcome,
      pull_request_number: event.pullRequestNumber ?? null,
      model: event.model ?? null,
      region: event.region ?? null,
      reason: event.reason ?? null,
    });
    if (this.#auditor) {
      const meta = {
        actor: event.actor,
        outcome: event.outcome,
        ...(event.pullRequestNumber !== undefined && {
          pullRequestNumber: event.pullRequestNumber,
        }),
        ...(event.model && { model: event.model }),
        ...(event.region && { region: event.region }),
      };
      const audited = await this.#auditor.createEvent({
        eventId: event.action.replace('.', '-'),
        severityLevel: event.outcome === 'refused' ? 'high' : 'medium',
        meta,
      });
      if (event.outcome === 'refused') {
        await audited.fail({ error: new Error(event.reason ?? 'refused') });
      } else {
        await audited.success();
      }
    }
  }

  /** Events matching the query, oldest first. */
  async query(query: AuditQuery = {}): Promise<AuditEvent[]> {
    let q = this.#knex(TABLE).select('*');
    if (query.actor) q = q.where('actor', query.actor);
    if (query.action) q = q.where('action', query.action);
    if (query.outcome) q = q.where('outcome', query.outcome);
    if (query.pullRequestNumber !== undefined)
      q = q.where('pull_request_number', query.pullRequestNumber);
    if (query.from) q = q.where('at_ms', '>=', query.from.getTime());
    if (query.to) q = q.where('at_ms', '<=', query.to.getTime());
    const rows = await q.orderBy('id', 'asc').limit(query.limit ?? 10_000);
    return rows.map(row => ({
      id: Number(row.id),
      at: new Date(Number(row.at_ms)).toISOString(),
      actor: row.actor,
      action: row.action,
      outcome: row.outcome,
      ...(row.pull_request_number !== null && {
        pullRequestNumber: Number(row.pull_request_number),
      }),
      ...(row.model !== null && { model: row.model }),
      ...(row.region !== null && { region: row.region }),
      ...(row.reason !== null && { reason: row.reason }),
    }));
  }
}
