import { CronScheduleError, nextCronRun } from './cronSchedule';

describe('nextCronRun', () => {
  it('finds the next 08:00 in the cluster time zone', () => {
    // 2026-11-22 07:30 in Los Angeles (UTC-8) is 15:30 UTC; the next 08:00 is that morning.
    expect(
      nextCronRun(
        '0 8 * * *',
        new Date('2026-11-22T15:30:00Z'),
        'America/Los_Angeles',
      )?.toISOString(),
    ).toBe('2026-11-22T16:00:00.000Z');
    // After 08:00 it is tomorrow's.
    expect(
      nextCronRun(
        '0 8 * * *',
        new Date('2026-11-22T16:00:00Z'),
        'America/Los_Angeles',
      )?.toISOString(),
    ).toBe('2026-11-23T16:00:00.000Z');
    expect(
      nextCronRun(
        '0 8 * * *',
        new Date('2026-11-22T10:00:00Z'),
        'Europe/Brussels',
      )?.toISOString(),
    ).toBe('2026-11-23T07:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Brussels moves to UTC+2 on 2027-03-28: 08:00 local is 06:00 UTC from then on.
    expect(
      nextCronRun(
        '0 8 * * *',
        new Date('2027-03-27T12:00:00Z'),
        'Europe/Brussels',
      )?.toISOString(),
    ).toBe('2027-03-28T06:00:00.000Z');
  });

  it('supports lists, ranges, steps and weekdays', () => {
    expect(
      nextCronRun(
        '*/15 9-17 * * 1-5',
        new Date('2026-11-21T12:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-11-23T09:00:00.000Z');
    expect(
      nextCronRun(
        '30 6,18 * * *',
        new Date('2026-11-22T07:00:00Z'),
      )?.toISOString(),
    ).toBe('2026-11-22T18:30:00.000Z');
    expect(
      nextCronRun('0 0 1 1 *', new Date('2026-11-22T00:00:00Z'))?.toISOString(),
    ).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads day and month names, as Kubernetes does', () => {
    // Sunday 2026-11-22 07:30 in Los Angeles: the next weekday 08:00 is Monday's.
    expect(
      nextCronRun(
        '0 8 * * MON-FRI',
        new Date('2026-11-22T15:30:00Z'),
        'America/Los_Angeles',
      )?.toISOString(),
    ).toBe('2026-11-23T16:00:00.000Z');
    expect(
      nextCronRun(
        '0 6 1 jan,jul *',
        new Date('2026-11-22T00:00:00Z'),
      )?.toISOString(),
    ).toBe('2027-01-01T06:00:00.000Z');
    // 7 is Sunday too.
    expect(
      nextCronRun('0 8 * * 7', new Date('2026-11-23T00:00:00Z'))?.toISOString(),
    ).toBe('2026-11-29T08:00:00.000Z');
  });

  it('reads the shorthands, in the time zone', () => {
    expect(
      nextCronRun('@daily', new Date('2026-11-22T15:30:00Z'))?.toISOString(),
    ).toBe('2026-11-23T00:00:00.000Z');
    expect(
      nextCronRun(
        '@midnight',
        new Date('2026-11-22T15:30:00Z'),
        'Europe/Brussels',
      )?.toISOString(),
    ).toBe('2026-11-22T23:00:00.000Z');
    expect(
      nextCronRun('@weekly', new Date('2026-11-23T00:00:00Z'))?.toISOString(),
    ).toBe('2026-11-29T00:00:00.000Z');
  });

  it('takes ? for any day', () => {
    expect(
      nextCronRun('0 8 ? * *', new Date('2026-11-22T10:00:00Z'))?.toISOString(),
    ).toBe('2026-11-23T08:00:00.000Z');
  });

  it('fires when either the day of month or the day of week matches', () => {
    // 1 February 2027 is a Monday, before the 29th of a February that 2027 does not have.
    expect(
      nextCronRun(
        '0 0 29 2 1',
        new Date('2026-11-22T00:00:00Z'),
      )?.toISOString(),
    ).toBe('2027-02-01T00:00:00.000Z');
  });

  it('shifts the next run by the time zone', () => {
    const from = new Date('2026-11-22T00:00:00Z');
    const utc = nextCronRun('0 8 * * *', from)!;
    const tokyo = nextCronRun('0 8 * * *', from, 'Asia/Tokyo')!;
    expect(utc.toISOString()).toBe('2026-11-22T08:00:00.000Z');
    // 08:00 in Tokyo (UTC+9) is 23:00 UTC the day before.
    expect(tokyo.toISOString()).toBe('2026-11-22T23:00:00.000Z');
  });

  it('rejects what it cannot read, and says why', () => {
    expect(() => nextCronRun('0 8 * *', new Date())).toThrow(CronScheduleError);
    expect(() => nextCronRun('0 8 * *', new Date())).toThrow(/4 fields/);
    expect(() => nextCronRun('0 0 8 * * *', new Date())).toThrow(/6 fields/);
    expect(() => nextCronRun('61 8 * * *', new Date())).toThrow(
      /61 expected range 0-59/,
    );
    expect(() => nextCronRun('0 8 * * FUNDAY', new Date())).toThrow(
      CronScheduleError,
    );
    expect(() => nextCronRun('0 0 L * *', new Date())).toThrow(
      /Kubernetes does not read/,
    );
    expect(() => nextCronRun('@fortnightly', new Date())).toThrow(
      /unknown shorthand/,
    );
    expect(() => nextCronRun('@every 1h', new Date())).toThrow(
      /relative to its last run/,
    );
    expect(() => nextCronRun('0 8 * * *', new Date(), 'Mars/Olympus')).toThrow(
      /time zone/,
    );
  });

  it('returns nothing for a date that never comes', () => {
    expect(
      nextCronRun('0 0 31 2 *', new Date('2026-11-22T00:00:00Z')),
    ).toBeUndefined();
  });
});
