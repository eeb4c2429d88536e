// @ts-check

/**
 * The request lifecycle driven by events: each request keeps what the portal last learnt of its
 * pull request from GitHub (webhooks, the reconciler) and the approval verdict it posted, so that
 * pages read the database only; and what the portal observed of a merged request in each region,
 * once per request, stage, region, revision and canary step (a unique key, however many replicas
 * observe it).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('omnivision_deployment_requests', table => {
    table
      .string('team', 255)
      .nullable()
      .comment('The group whose GPU quota the request counts against');
    table
      .string('pull_request_state', 16)
      .notNullable()
      .defaultTo('open')
      .comment('open, closed or merged');
    table
      .text('pull_request')
      .nullable()
      .comment("JSON: the pull request's state, head, reviews, files, checks");
    table
      .text('approval')
      .nullable()
      .comment('JSON: the omnivision/approval verdict last posted on the head');
    table
      .boolean('settled')
      .notNullable()
      .defaultTo(false)
      .comment('Closed, or merged and healthy or failed in every region');
    table.index(['model'], 'omnivision_deployment_requests_by_model');
  });

  await knex.schema.createTable('omnivision_request_observations', table => {
    table.comment(
      'What the portal observed of a merged request in a region (synced, canary steps, healthy, failed)',
    );
    table.bigIncrements('id').primary();
    table.integer('pull_request_number').notNullable();
    table.string('stage', 16).notNullable();
    table.string('region', 64).notNullable();
    table.string('revision', 64).notNullable();
    table.integer('step').notNullable().defaultTo(0);
    table.bigInteger('at_ms').notNullable();
    table.text('detail').nullable();
    table.unique(
      ['pull_request_number', 'stage', 'region', 'revision', 'step'],
      { indexName: 'omnivision_request_observations_once' },
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('omnivision_request_observations');
  await knex.schema.alterTable('omnivision_deployment_requests', table => {
    table.dropIndex(['model'], 'omnivision_deployment_requests_by_model');
    table.dropColumn('settled');
    table.dropColumn('approval');
    table.dropColumn('pull_request');
    table.dropColumn('pull_request_state');
    table.dropColumn('team');
  });
};
