/** Thrown for a cron expression this parser does not understand. @public */
export class CronScheduleError extends Error {}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = part.match(/^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/);
    if (!m) throw new CronScheduleError(`invalid ${field.name} "${part}"`);
    const start = m[1] === '*' ? field.min : Number(m[1]);
    let end = start;
    if (m[2] !== undefined) end = Number(m[2]);
    else if (m[1] === '*' || m[3]) end = field.max;
    const step = m[3] ? Number(m[3]) : 1;
    if (start < field.min || end > field.max || start > end || step < 1) {
      throw new CronScheduleError(
        `${field.name} "${part}" is out of range ${field.min}-${field.max}`,
      );
    }
    for (let v = start; v <= end; v += step)
      values.add(field.name === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone,
    );
  } catch {
    return false;
  }
}

function localParts(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string) => parts.find(p => p.type === type)!.value;
  return {
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(
      get('weekday'),
    ),
  };
}

/**
 * The next time after `from` at which a standard five-field cron schedule fires in a time zone
 * (as Kubernetes CronJobs with `timeZone` do). Supports `*`, numbers, lists, ranges and steps.
 * Looks a year ahead at most; returns undefined when the schedule never fires within it.
 *
 * @public
 */
export function nextCronRun(
  schedule: string,
  from: Date,
  timeZone = 'UTC',
): Date | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5)
    throw new CronScheduleError(`"${schedule}" does not have five fields`);
  const [minutes, hours, days, months, weekdays] = fields.map((f, i) =>
    parseField(f, FIELDS[i]),
  );
  const dayRestricted = fields[2] !== '*';
  const weekdayRestricted = fields[4] !== '*';
  if (!isKnownTimeZone(timeZone)) {
    throw new CronScheduleError(`unknown time zone "${timeZone}"`);
  }
  // Walk whole minutes forward, skipping hours that cannot match.
  const start = new Date(Math.floor(from.getTime() / 60_000) * 60_000 + 60_000);
  const limit = start.getTime() + 366 * 24 * 3_600_000;
  for (let t = start.getTime(); t < limit; ) {
    const local = localParts(new Date(t), timeZone);
    const dayMatches =
      dayRestricted && weekdayRestricted
        ? days.has(local.day) || weekdays.has(local.weekday)
        : days.has(local.day) && weekdays.has(local.weekday);
    if (!months.has(local.month) || !dayMatches || !hours.has(local.hour)) {
      t += (60 - local.minute) * 60_000; // to the next local hour
      continue;
    }
    if (minutes.has(local.minute)) return new Date(t);
    t += 60_000;
  }
  return undefined;
}
