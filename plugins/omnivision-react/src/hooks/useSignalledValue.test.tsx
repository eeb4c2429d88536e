import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { FLEET_SIGNAL_CHANNEL } from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '../testing/MockSignalApi';
import {
  advance,
  counter,
  mockTabVisibility,
} from '../__testUtils__/hookTimers';
import { useSignalledValue } from './useSignalledValue';

type Change = { pullRequestNumber: number };

describe('useSignalledValue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const withSignals = (signals: MockSignalApi) =>
    function Wrapper({ children }: { children: ReactNode }) {
      return (
        <TestApiProvider apis={[signals.apiPair()]}>{children}</TestApiProvider>
      );
    };

  it('fetches again when a matching signal arrives, and otherwise only every 60 s', async () => {
    const signals = new MockSignalApi();
    const load = counter();
    const { result, unmount } = renderHook(
      () =>
        useSignalledValue(load, {
          channel: 'omnivision:requests',
          matches: (m: Change) => m.pullRequestNumber === 7,
        }),
      { wrapper: withSignals(signals) },
    );
    await advance(0);
    expect(result.current.value).toBe(1);

    await act(async () =>
      signals.publish('omnivision:requests', { pullRequestNumber: 7 }),
    );
    await advance(0);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(2);

    // Another request's change, or another channel's message: nothing to fetch.
    await act(async () => {
      signals.publish('omnivision:requests', { pullRequestNumber: 8 });
      signals.publish('notifications', { pullRequestNumber: 7 });
    });
    await advance(59_000);
    expect(load).toHaveBeenCalledTimes(2);
    // The fallback poll, 60 s after the last fetch (the signalled one).
    await advance(1_000);
    expect(load).toHaveBeenCalledTimes(3);

    unmount();
    expect(signals.subscribers('omnivision:requests')).toBe(0);
  });

  it('does not miss a change signalled while a fetch is under way', async () => {
    const signals = new MockSignalApi();
    let answer!: (value: string) => void;
    const load = jest.fn(
      () =>
        new Promise<string>(resolve => {
          answer = resolve;
        }),
    );
    const { result } = renderHook(
      () => useSignalledValue(load, { channel: 'omnivision:requests' }),
      { wrapper: withSignals(signals) },
    );
    await act(async () =>
      signals.publish('omnivision:requests', { pullRequestNumber: 7 }),
    );
    await act(async () => answer('read before the change'));
    // The signal came after that fetch began: one more fetch reads the change.
    expect(load).toHaveBeenCalledTimes(2);
    await act(async () => answer('read after the change'));
    expect(result.current.value).toBe('read after the change');
  });

  it('polls every 10 s where the app has no signals', async () => {
    const load = counter();
    const { result } = renderHook(() =>
      useSignalledValue(load, { channel: 'omnivision:requests' }),
    );
    await advance(0);
    expect(result.current.value).toBe(1);
    await advance(10_000);
    expect(load).toHaveBeenCalledTimes(2);
    await advance(10_000);
    expect(result.current.value).toBe(3);
  });

  it('fetches nothing for signals while the tab is hidden, and once when it shows again', async () => {
    const setVisibility = mockTabVisibility();
    const signals = new MockSignalApi();
    const load = counter();
    const { result } = renderHook(
      () =>
        useSignalledValue(load, {
          channel: FLEET_SIGNAL_CHANNEL,
          fallbackIntervalMs: 0,
        }),
      { wrapper: withSignals(signals) },
    );
    await advance(0);
    await setVisibility('hidden');
    await act(async () => {
      signals.publish(FLEET_SIGNAL_CHANNEL, { clusters: ['eks-us-west-2'] });
      signals.publish(FLEET_SIGNAL_CHANNEL, { clusters: ['gke-europe-west1'] });
    });
    await advance(60_000);
    expect(load).toHaveBeenCalledTimes(1);

    // Shown again: one fetch for both signals.
    await setVisibility('visible');
    await advance(0);
    expect(result.current.value).toBe(2);
  });
});
