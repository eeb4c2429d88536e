import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { mockApis, TestApiProvider } from '@backstage/frontend-test-utils';
import {
  FLEET_SIGNAL_CHANNEL,
  type FleetChangedSignal,
} from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '../testing/MockSignalApi';
import {
  advance,
  counter,
  expectNextCallIn,
} from '../__testUtils__/hookTimers';
import { useFleetValue } from './useFleetValue';

describe('useFleetValue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const changed = (...clusters: string[]): FleetChangedSignal => ({
    clusters,
    changedAt: '2026-11-24T08:00:00Z',
  });
  const app = (signals: MockSignalApi, config: object = {}) =>
    function Wrapper({ children }: { children: ReactNode }) {
      return (
        <TestApiProvider
          apis={[signals.apiPair(), mockApis.config({ data: config })]}
        >
          {children}
        </TestApiProvider>
      );
    };

  it('fetches again on any fleet signal, and otherwise every 20 s', async () => {
    const signals = new MockSignalApi();
    const load = counter();
    const { result } = renderHook(() => useFleetValue(load), {
      wrapper: app(signals),
    });
    await advance(0);
    await act(async () =>
      signals.publish(FLEET_SIGNAL_CHANNEL, changed('gke-europe-west1')),
    );
    await advance(0);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(2);
    await expectNextCallIn(load, 20_000);
  });

  it('about one cluster, fetches on its signals only, and polls as configured (0: never)', async () => {
    const signals = new MockSignalApi();
    const load = counter();
    const { result } = renderHook(
      () => useFleetValue(load, { cluster: 'eks-us-west-2' }),
      {
        wrapper: app(signals, {
          omnivision: { fleetPages: { fallbackPollSeconds: 0 } },
        }),
      },
    );
    await advance(0);
    await act(async () =>
      signals.publish(FLEET_SIGNAL_CHANNEL, changed('gke-europe-west1')),
    );
    await advance(600_000);
    expect(load).toHaveBeenCalledTimes(1);
    await act(async () =>
      signals.publish(
        FLEET_SIGNAL_CHANNEL,
        changed('gke-europe-west1', 'eks-us-west-2'),
      ),
    );
    await advance(0);
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(2);
  });

  it('polls every 10 s where the app has no signals, whatever the config says', async () => {
    const load = counter();
    renderHook(() => useFleetValue(load), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <TestApiProvider
          apis={[
            mockApis.config({
              data: { omnivision: { fleetPages: { fallbackPollSeconds: 0 } } },
            }),
          ]}
        >
          {children}
        </TestApiProvider>
      ),
    });
    await advance(0);
    await advance(10_000);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
