import { act, renderHook } from '@testing-library/react';
import {
  advance,
  counter,
  expectNextCallIn,
  mockTabVisibility,
} from '../__testUtils__/hookTimers';
import { usePolledValue } from './usePolledValue';

describe('usePolledValue', () => {
  let setVisibility: ReturnType<typeof mockTabVisibility>;
  beforeEach(() => {
    jest.useFakeTimers();
    setVisibility = mockTabVisibility();
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('fetches at once and then every interval, never while the tab is hidden', async () => {
    const load = counter();
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

    await expectNextCallIn(load, 10_000);
  });

  it('fetches a change announced while the tab was hidden once, when it shows again', async () => {
    const load = counter();
    const { result } = renderHook(() => usePolledValue(load, 20_000));
    await advance(0);
    expect(load).toHaveBeenCalledTimes(1);

    // Visible: an announced change is fetched at once.
    await act(async () => result.current.refreshWhenVisible!());
    await advance(0);
    expect(load).toHaveBeenCalledTimes(2);

    await setVisibility('hidden');
    await act(async () => {
      result.current.refreshWhenVisible!();
      result.current.refreshWhenVisible!();
    });
    await advance(5_000);
    expect(load).toHaveBeenCalledTimes(2);

    // Shown again before the interval is over: one fetch for both changes, then the next poll
    // a whole interval after it.
    await setVisibility('visible');
    await advance(0);
    expect(load).toHaveBeenCalledTimes(3);
    expect(result.current.value).toBe(3);
    await expectNextCallIn(load, 20_000);
  });

  it('never polls with an interval of 0, not even when the tab shows again', async () => {
    const load = counter();
    renderHook(() => usePolledValue(load, 0));
    await advance(600_000);
    await setVisibility('hidden');
    await setVisibility('visible');
    await advance(600_000);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps its state when a fetch gives the very same value: nothing to render', async () => {
    const document = { clusters: [] };
    const load = jest.fn(async () => document);
    const { result } = renderHook(() => usePolledValue(load, 10_000));
    await advance(0);
    const first = result.current;
    await advance(10_000);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current).toBe(first);
  });
});
