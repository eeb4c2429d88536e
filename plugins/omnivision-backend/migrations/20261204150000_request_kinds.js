// @ts-check

/**
 * What each request does to its model (`deploy`, `rollback` or `retire`; requests recorded
 * before kept `deploy`), and the version it deploys as resolved when it was recorded (the newest
 * signed one when none was named), so that a rollback knows the version each region last ran
 * healthy.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('omnivision_deployment_requests', table => {
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('deploy')
      .comment('deploy, rollback or retire');
    table
      .string('version', 64)
      .nullable()
      .comment("The model's version it deploys, as resolved when recorded");
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('omnivision_deployment_requests', table => {
    table.dropColumn('version');
    table.dropColumn('kind');
  });
};
