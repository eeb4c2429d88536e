import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/**
 * How often status pages refresh: live enough to notice an outage within 30 s.
 *
 * @public
 */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;

/**
 * What a polled value looks like to a page.
 *
 * @public
 */
export interface PolledValue<T> {
  value?: T;
  /** The last refresh failed; `value` is then the last good one, if any. */
  error?: Error;
  /** True until the first answer (or failure). */
  loading: boolean;
  /** When `value` was fetched. */
  updatedAt?: Date;
  /** Fetches again now, keeping the current value on screen meanwhile (e.g. after an action). */
  refresh?: () => Promise<void>;
}

/**
 * Fetches a value now and then every `intervalMs` while the tab is visible: one request at a
 * time, none while the tab is hidden, and one at once when it shows again if the value is older
 * than the interval. `load` must be stable (wrap it in useCallback) or the polling restarts.
 *
 * @public
 */
export function usePolledValue<T>(
  load: () => Promise<T>,
  intervalMs: number = DEFAULT_POLL_INTERVAL_MS,
): PolledValue<T> {
  const [state, setState] = useState<PolledValue<T>>({ loading: true });
  const inFlight = useRef(false);
  const lastFetch = useRef(0);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    lastFetch.current = Date.now();
    try {
      const value = await load();
      setState({ value, loading: false, updatedAt: new Date() });
    } catch (error) {
      setState(previous => ({
        ...previous,
        loading: false,
        error: error as Error,
      }));
    } finally {
      inFlight.current = false;
    }
  }, [load]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const visible = () => document.visibilityState !== 'hidden';
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || !visible()) return;
      const wait = Math.max(0, lastFetch.current + intervalMs - Date.now());
      timer = setTimeout(async () => {
        await refresh();
        schedule();
      }, wait);
    };
    const onVisibilityChange = () => {
      if (visible()) schedule();
      else clearTimeout(timer);
    };
    setState({ loading: true });
    lastFetch.current = 0;
    refresh().then(schedule);
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [refresh, intervalMs]);

  return useMemo(() => ({ ...state, refresh }), [state, refresh]);
}
