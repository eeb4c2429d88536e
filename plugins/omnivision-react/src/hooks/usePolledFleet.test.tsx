import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import type { FleetStatus } from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '../api';
import { usePolledFleet } from './usePolledFleet';

describe('usePolledFleet', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads the fleet through the API, and again every 10 s in an app without signals', async () => {
    const fleets: FleetStatus[] = [
      { generatedAt: '2026-11-24T08:00:00Z', clusters: [] },
      { generatedAt: '2026-11-24T08:00:10Z', clusters: [] },
    ];
    const getFleet = jest
      .fn()
      .mockResolvedValueOnce(fleets[0])
      .mockResolvedValueOnce(fleets[1]);
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[omnivisionApiRef, { getFleet } as any]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(() => usePolledFleet(), { wrapper });
    await act(() => jest.advanceTimersByTimeAsync(0));
    expect(result.current.value).toBe(fleets[0]);
    await act(() => jest.advanceTimersByTimeAsync(10_000));
    expect(getFleet).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(fleets[1]);
  });
});
