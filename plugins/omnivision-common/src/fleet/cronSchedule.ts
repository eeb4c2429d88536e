import { CronExpressionParser } from 'cron-parser';

/** Thrown for a schedule a Kubernetes CronJob would not run; its message says why. @public */
export class CronScheduleError extends Error {}

/** The shorthands Kubernetes reads (robfig/cron's standard parser), as five fields. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** `L`, `H` and `#` are cron-parser's extensions; Kubernetes refuses them. */
const EXTENSION = /(^|[^a-z])[hl]([^a-z]|$)|#/i;

function isKnownTimeZone(timeZone: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone,
    );
  } catch {
    return false;
  }
}

/** The schedule as five fields, or the reason Kubernetes would not read it. */
function fiveFields(schedule: string): string {
  const text = schedule.trim();
  if (text.startsWith('@')) {
    const expanded = DESCRIPTORS[text.toLowerCase()];
    if (expanded) return expanded;
    if (text.toLowerCase().startsWith('@every')) {
      throw new CronScheduleError(
        `"${schedule}" runs relative to its last run: it has no next run of its own`,
      );
    }
    throw new CronScheduleError(`unknown shorthand "${text}"`);
  }
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    throw new CronScheduleError(
      `"${schedule}" has ${fields.length} fields, not the five of minute, hour, day of month, month and day of week`,
    );
  }
  if (EXTENSION.test(text)) {
    throw new CronScheduleError(
      `"${schedule}" uses L, H or #, which Kubernetes does not read`,
    );
  }
  return fields.join(' ');
}

/**
 * The next time after `from` at which a CronJob's schedule fires in its time zone (the CronJob's
 * `spec.timeZone`, UTC when it has none), read by `cron-parser` as Kubernetes reads it: five
 * fields with numbers, names (`MON-FRI`, `JAN`), `*`, `?`, lists, ranges and steps, or one of
 * `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`. When the day
 * of month and the day of week are both restricted, either one matching is enough.
 *
 * Returns undefined for a schedule that can never fire (`0 0 31 2 *`); throws
 * `CronScheduleError`, with the reason, for one that Kubernetes would refuse or a time zone
 * that does not exist.
 *
 * @public
 */
export function nextCronRun(
  schedule: string,
  from: Date,
  timeZone = 'UTC',
): Date | undefined {
  const expression = fiveFields(schedule);
  if (!isKnownTimeZone(timeZone)) {
    throw new CronScheduleError(`unknown time zone "${timeZone}"`);
  }
  try {
    return CronExpressionParser.parse(expression, {
      currentDate: from,
      tz: timeZone,
    })
      .next()
      .toDate();
  } catch (error) {
    const reason = (error as Error).message;
    // A day the month never has (31 February) is a valid schedule that never fires.
    if (/explicit day of month/i.test(reason)) return undefined;
    throw new CronScheduleError(`"${schedule}": ${reason}`);
  }
}
