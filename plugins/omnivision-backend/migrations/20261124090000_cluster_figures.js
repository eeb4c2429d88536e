// @ts-check

/**
 * The fleet's history: each cluster's headline figures, minute by minute.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('omnivision_cluster_figures', table => {
    table.comment(
      'The headline figures of each cluster, recorded every minute',
    );
    table.bigIncrements('id').primary();
    table.string('cluster', 255).notNullable();
    // Epoch milliseconds: compared the same way on SQLite and PostgreSQL.
    table.bigInteger('taken_at_ms').notNullable();
    table
      .boolean('reachable')
      .notNullable()
      .comment('Whether the API server answered; figures are null when not');
    for (const column of [
      'headroom',
      'placeholder_gpus',
      'gpus_allocatable',
      'gpus_requested',
      'gpus_free',
      'nodes_ready',
      'gpu_nodes_ready',
      'pending_gpu_pods',
      'compliance_score',
    ]) {
      table.double(column).nullable();
    }
    table.index(
      ['cluster', 'taken_at_ms'],
      'omnivision_cluster_figures_by_time',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('omnivision_cluster_figures');
};
