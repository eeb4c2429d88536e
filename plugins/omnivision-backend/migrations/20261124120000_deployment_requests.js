// @ts-check

/**
 * Deployment requests, one per pull request the portal opened, and the audit trail: an
 * append-only table that the database itself refuses to update or delete from.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('omnivision_deployment_requests', table => {
    table.comment(
      'Each deployment request, recorded when its pull request opened',
    );
    table.integer('pull_request_number').primary();
    table.string('pull_request_url', 1024).notNullable();
    table.string('branch', 255).notNullable();
    table.string('requester', 255).notNullable();
    table.string('model', 255).notNullable();
    table.string('gpu_profile', 255).notNullable();
    table.text('regions').notNullable().comment('JSON array of region ids');
    table.integer('min_replicas').notNullable();
    table.integer('max_replicas').notNullable();
    table.string('rollout', 32).notNullable();
    table.text('policy_results').notNullable().comment('JSON array');
    table.string('files_digest', 128).notNullable();
    table.bigInteger('created_at_ms').notNullable();
    table.bigInteger('updated_at_ms').notNullable();
    table.index(['requester'], 'omnivision_deployment_requests_by_requester');
  });

  await knex.schema.createTable('omnivision_audit_events', table => {
    table.comment('The HIPAA audit trail: append-only');
    table.bigIncrements('id').primary();
    table.bigInteger('at_ms').notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 64).notNullable();
    table.string('outcome', 16).notNullable();
    table.integer('pull_request_number').nullable();
    table.string('model', 255).nullable();
    table.string('region', 64).nullable();
    table.text('reason').nullable();
    table.index(['at_ms'], 'omnivision_audit_events_by_time');
    table.index(['pull_request_number'], 'omnivision_audit_events_by_pull');
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw(`
      CREATE FUNCTION omnivision_audit_events_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'omnivision_audit_events is append-only';
      END;
      $$ LANGUAGE plpgsql;
    `);
    await knex.raw(`
      CREATE TRIGGER omnivision_audit_events_append_only
      BEFORE UPDATE OR DELETE OR TRUNCATE ON omnivision_audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION omnivision_audit_events_append_only();
    `);
  } else {
    for (const event of ['UPDATE', 'DELETE']) {
      await knex.raw(`
        CREATE TRIGGER omnivision_audit_events_no_${event.toLowerCase()}
        BEFORE ${event} ON omnivision_audit_events
        BEGIN
          SELECT RAISE(ABORT, 'omnivision_audit_events is append-only');
        END;
      `);
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('omnivision_audit_events');
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP FUNCTION omnivision_audit_events_append_only()');
  }
  await knex.schema.dropTable('omnivision_deployment_requests');
};
