import { act, renderHook } from '@testing-library/react';
import { usePolledValue } from './usePolledValue';

describe('usePolledValue', () => {
  let visibility: DocumentVisibilityState;
  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest
      .spyOn(document, 'visibilityState', 'get')
      .mockImplementation(() => visibility);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const setVisibility = async (state: DocumentVisibilityState) => {
    visibility = state;
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
  };
  const advance = (ms: number) =>
    act(async () => {
      await jest.advanceTimersByTimeAsync(ms);
    });

  it('fetches at once and then every interval, never while the tab is hidden', async () => {
    let n = 0;
    const load = jest.fn(async () => ++n);
    const { result } = renderHook(() => usePolledValue(load, 10_000));
    await advance(0);
    expect(result.current.value).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);

    await advance(9_000);
    expect(load).toHaveBeenCalledTimes(1);
    await advance(1_000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(2);

    await setVisibility('hidden');
    await advance(60_000);
    expect(load).toHaveBeenCalledTimes(2);

    // Back in view with a value older than the interval: a refresh at once.
    await setVisibility('visible');
    await advance(0);
    expect(load).toHaveBeenCalledTimes(3);
    await advance(10_000);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('keeps the last good value when a refresh fails, with the error', async () => {
    const load = jest
      .fn<Promise<string>, []>()
      .mockResolvedValueOnce('good')
      .mockRejectedValueOnce(new Error('503'));
    const { result } = renderHook(() => usePolledValue(load, 10_000));
    await advance(0);
    expect(result.current).toMatchObject({ value: 'good', loading: false });
    await advance(10_000);
    expect(result.current.value).toBe('good');
    expect(result.current.error?.message).toBe('503');
  });

  it('fetches once more after the current fetch when refreshed meanwhile, and polls from the last fetch', async () => {
    const answers: Array<(value: number) => void> = [];
    const load = jest.fn(
      () => new Promise<number>(resolve => answers.push(resolve)),
    );
    const { result } = renderHook(() => usePolledValue(load, 10_000));
    expect(load).toHaveBeenCalledTimes(1);
    let refreshed = false;
    act(() => {
      result.current.refresh!().then(() => {
        refreshed = true;
      });
      result.current.refresh!();
    });
    // Two refreshes asked for during the first fetch: one more fetch, after it.
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () => answers[0](1));
    expect(load).toHaveBeenCalledTimes(2);
    expect(refreshed).toBe(false);
    await act(async () => answers[1](2));
    expect(refreshed).toBe(true);
    expect(result.current.value).toBe(2);

    await advance(9_999);
    expect(load).toHaveBeenCalledTimes(2);
    await advance(1);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
