import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrated = new WeakMap<DatabaseService, Promise<Knex>>();

/**
 * The plugin's database client, with the migrations of `migrations/` applied once per database
 * service (unless the app config says to skip them).
 */
export function migrateDatabase(database: DatabaseService): Promise<Knex> {
  let client = migrated.get(database);
  if (!client) {
    client = (async () => {
      const knex = await database.getClient();
      if (!database.migrations?.skip) {
        await knex.migrate.latest({
          directory: resolvePackagePath(
            '@internal/plugin-omnivision-backend',
            'migrations',
          ),
          tableName: 'omnivision_knex_migrations',
        });
      }
      return knex;
    })();
    migrated.set(database, client);
  }
  return client;
}
