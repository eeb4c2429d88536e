import type { AuditEvent } from '@internal/plugin-omnivision-common';
import { stringify } from 'csv-stringify/sync';

/** The columns of the audit trail's CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'outcome',
  'pullRequestNumber',
  'model',
  'region',
  'reason',
] as const;

/**
 * The audit trail as CSV (RFC 4180, CRLF line ends), a header and one event per line. Cells a
 * spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) are prefixed with `'`, as OWASP recommends against CSV injection.
 */
export function auditCsv(events: AuditEvent[]): string {
  return stringify(events, {
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}
