import assert from 'node:assert';
import { eventually } from './eventually';

describe('eventually', () => {
  it('calls the check afresh at each try and resolves to its first truthy value', async () => {
    let reads = 0;
    const check = jest.fn(() => (++reads >= 3 ? { reads } : undefined));
    await expect(eventually(check, { intervalMs: 1 })).resolves.toEqual({
      reads: 3,
    });
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('retries a check that throws an ordinary error', async () => {
    let reads = 0;
    const value = await eventually(
      async () => {
        if (++reads < 3) throw new Error('connection refused');
        return 'up';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('up');
  });

  it('reports what the last try returned when it gives up', async () => {
    let reads = 0;
    await expect(
      eventually(() => (reads++ < 1 ? undefined : 0), {
        timeoutMs: 30,
        intervalMs: 5,
      }),
    ).rejects.toThrow(
      /^condition not met within 30 ms \(\d+ tries\); the last try returned 0$/,
    );
    await expect(
      eventually(() => '', {
        timeoutMs: 30,
        intervalMs: 5,
      }),
    ).rejects.toThrow(/the last try returned ''$/);
  });

  it('reports the last error, not an earlier one, when it gives up', async () => {
    let reads = 0;
    const failure = eventually(
      () => {
        reads++;
        if (reads === 1) throw new Error('first failure');
        if (reads === 2) return false;
        throw new Error(`failure ${reads}`);
      },
      { timeoutMs: 40, intervalMs: 5 },
    );
    await expect(failure).rejects.toThrow(
      new RegExp(`the last try threw failure \\d+$`),
    );
    await expect(failure).rejects.not.toThrow(/first failure/);
    await expect(failure).rejects.toHaveProperty(
      'cause.message',
      `failure ${reads}`,
    );
  });

  it('reports a last try that returned a falsy value after earlier errors', async () => {
    let reads = 0;
    await expect(
      eventually(
        () => {
          if (reads++ === 0) throw new Error('starting');
          return null;
        },
        { timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow(/the last try returned null$/);
  });

  it('fails at once on a failed assertion instead of retrying until it passes', async () => {
    let reads = 0;
    const slowThenFast = () => {
      reads++;
      // A timing assertion that fails on the first try and would pass on the second.
      expect(reads === 1 ? 800 : 10).toBeLessThan(500);
      return true;
    };
    await expect(eventually(slowThenFast, { intervalMs: 1 })).rejects.toThrow(
      /toBeLessThan/,
    );
    expect(reads).toBe(1);

    reads = 0;
    await expect(
      eventually(
        () => {
          reads++;
          assert.ok(reads > 1, 'not on the first try');
          return true;
        },
        { intervalMs: 1 },
      ),
    ).rejects.toThrow('not on the first try');
    expect(reads).toBe(1);
  });

  it('takes the time limit as a number, as before', async () => {
    const started = Date.now();
    await expect(eventually(() => false, 60)).rejects.toThrow(/within 60 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });
});
