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

  it('rejects what it cannot read', () => {
    expect(() => nextCronRun('0 8 * *', new Date())).toThrow(CronScheduleError);
    expect(() => nextCronRun('61 8 * * *', new Date())).toThrow(/out of range/);
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
