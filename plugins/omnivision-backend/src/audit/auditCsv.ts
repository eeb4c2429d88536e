import { stringify, Stringifier } from 'csv-stringify';

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
  'githubLogin',
  'key',
] as const;

/**
 * A stream that turns audit events into CSV (RFC 4180, CRLF line ends): a header, even for no
 * events, and one event per line as they come. Cells a spreadsheet would take for a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with `'`, as OWASP
 * recommends against CSV injection.
 */
export function auditCsvStringifier(): Stringifier {
  return stringify({
    header: true,
    columns: [...AUDIT_CSV_COLUMNS],
    record_delimiter: 'windows',
    escape_formulas: true,
  });
}
