#!/usr/bin/env node
// `make start REPLICAS=N`: drops the portal's development databases on PostgreSQL (Backstage
// makes one per plugin, `<prefix><plugin>`, e.g. `omnivision_dev_catalog`), so that each start
// begins as empty as the in-memory SQLite of `make start`. Only names with the prefix are touched.
//
//   node scripts/reset-replica-databases.mjs PREFIX   (POSTGRES_HOST, _PORT, _USER, _PASSWORD)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const prefix = process.argv[2];
if (!prefix || !/^[a-z][a-z0-9_]*_$/.test(prefix)) {
  console.error(
    'usage: reset-replica-databases.mjs PREFIX (lower case, ending in _)',
  );
  process.exit(2);
}
const client = new Client({
  host: process.env.POSTGRES_HOST,
  port: Number(process.env.POSTGRES_PORT),
  user: process.env.POSTGRES_USER,
  password: process.env.POSTGRES_PASSWORD || undefined,
  database: 'postgres',
});
await client.connect();
try {
  const { rows } = await client.query(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
    [prefix],
  );
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  }
  console.log(
    `[replicas] dropped ${rows.length} databases named ${prefix}* on ${client.host}:${client.port}`,
  );
} finally {
  await client.end();
}
