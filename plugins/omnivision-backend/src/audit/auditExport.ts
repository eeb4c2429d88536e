import type { AuditEvent } from '@internal/plugin-omnivision-common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { auditCsvStringifier } from './auditCsv';

async function* jsonArray(events: AsyncIterable<AuditEvent>) {
  yield '[';
  let separator = '';
  for await (const event of events) {
    yield separator + JSON.stringify(event);
    separator = ',';
  }
  yield ']';
}

/**
 * Writes audit events to the response as they are read, as a CSV download or as one JSON array,
 * at the pace the client takes them. A failure half way aborts the response: a client never
 * takes a cut answer for a whole one.
 */
export async function sendAuditEvents(
  res: Response,
  events: AsyncIterable<AuditEvent>,
  format: 'csv' | 'json',
): Promise<void> {
  if (format === 'csv') {
    res.type('text/csv').attachment('omnivision-audit.csv');
    await pipeline(Readable.from(events), auditCsvStringifier(), res);
  } else {
    res.type('application/json').attachment('omnivision-audit.json');
    await pipeline(Readable.from(jsonArray(events)), res);
  }
}
