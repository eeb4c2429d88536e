import { durationMs } from './RolloutController';

describe('durationMs', () => {
  it('reads pauses as Argo Rollouts does: seconds, and Go durations', () => {
    expect(durationMs('30')).toBe(30_000);
    expect(durationMs('10m')).toBe(600_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('1.5h')).toBe(5_400_000);
    expect(durationMs('250ms')).toBe(250);
  });

  it('pauses indefinitely when there is no duration, or one it cannot read', () => {
    expect(durationMs(undefined)).toBe(Infinity);
    expect(durationMs('ten minutes')).toBe(Infinity);
    expect(durationMs('10x')).toBe(Infinity);
  });
});
