import { useEffect, useMemo, useRef, useState } from 'react';

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
  /** When `value` was fetched (an answer with the very same value keeps the earlier time). */
  updatedAt?: Date;
  /**
   * Fetches again now, keeping the current value on screen meanwhile (e.g. after an action).
   * Asked for while a fetch is under way, it fetches once more after that one, so a change made
   * during a fetch is not missed; it resolves when the value is current.
   */
  refresh?: () => Promise<void>;
  /**
   * The value changed (a signal said so): fetches again now if the tab is visible, as `refresh`
   * does; in a hidden tab it fetches nothing, and once when the tab shows again, however many
   * changes were announced meanwhile.
   */
  refreshWhenVisible?: () => void;
}

/** The fetches of one `load`: at most one at a time, and whether another one was asked for. */
interface Fetches {
  running?: Promise<void>;
  again: boolean;
  /** A change was announced while the tab was hidden, and no fetch has read it yet. */
  announced: boolean;
  /** `load` was replaced or the component unmounted: answers still arriving are dropped. */
  dropped: boolean;
}

const tabVisible = () => document.visibilityState !== 'hidden';

/**
 * Fetches a value now and then every `intervalMs` while the tab is visible: one request at a
 * time, none while the tab is hidden, and one at once when it shows again if the value is older
 * than the interval or a change was announced meanwhile (`refreshWhenVisible`). An `intervalMs`
 * of 0 polls never: the value is fetched once, then only when refreshed. A `refresh` (an action,
 * a signal) counts as a fetch: the next poll comes `intervalMs` after it. `load` must be stable
 * (wrap it in useCallback) or the polling restarts.
 *
 * @public
 */
export function usePolledValue<T>(
  load: () => Promise<T>,
  intervalMs: number = DEFAULT_POLL_INTERVAL_MS,
): PolledValue<T> {
  const [state, setState] = useState<PolledValue<T>>({ loading: true });
  const lastFetch = useRef(0);
  // The fetches of this `load`: a new `load` is a new value, whose fetches do not wait for the
  // old one's, and whose answers replace the old one's.
  const { fetches, refresh, refreshWhenVisible } = useMemo(() => {
    const current: Fetches = { again: false, announced: false, dropped: false };
    const fetchNow = (): Promise<void> => {
      if (current.running) {
        current.again = true;
        return current.running;
      }
      const run = async () => {
        do {
          current.again = false;
          current.announced = false;
          lastFetch.current = Date.now();
          try {
            const value = await load();
            if (!current.dropped) {
              // The same object again (the client's answer to a 304): nothing to render.
              setState(previous =>
                previous.value === value && !previous.error && !previous.loading
                  ? previous
                  : { value, loading: false, updatedAt: new Date() },
              );
            }
          } catch (error) {
            if (!current.dropped) {
              setState(previous => ({
                ...previous,
                loading: false,
                error: error as Error,
              }));
            }
          }
        } while (current.again && !current.dropped);
      };
      current.running = run().finally(() => {
        current.running = undefined;
      });
      return current.running;
    };
    const fetchWhenVisible = () => {
      if (tabVisible()) void fetchNow();
      else current.announced = true;
    };
    return {
      fetches: current,
      refresh: fetchNow,
      refreshWhenVisible: fetchWhenVisible,
    };
  }, [load]);

  // A new `load`: start over from nothing, at once.
  useEffect(() => {
    fetches.dropped = false;
    setState({ loading: true });
    lastFetch.current = 0;
    refresh();
    return () => {
      fetches.dropped = true;
    };
  }, [refresh, fetches]);

  // Every `intervalMs` after the last fetch, whatever asked for it; never while hidden. When the
  // tab shows again: at once if a change was announced meanwhile, or if a poll is overdue.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const polls = intervalMs > 0 && Number.isFinite(intervalMs);
    const schedule = () => {
      clearTimeout(timer);
      if (stopped || !polls || !tabVisible()) return;
      const wait = Math.max(0, lastFetch.current + intervalMs - Date.now());
      timer = setTimeout(async () => {
        if (fetches.running) {
          await fetches.running;
        } else if (Date.now() >= lastFetch.current + intervalMs) {
          await refresh();
        }
        schedule();
      }, wait);
    };
    const onVisibilityChange = () => {
      if (!tabVisible()) {
        clearTimeout(timer);
        return;
      }
      // The fetch starts at once and counts as the poll: `schedule` waits a whole interval.
      if (fetches.announced) refresh();
      schedule();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibilityChange);
    };
  }, [refresh, fetches, intervalMs]);

  return useMemo(
    () => ({ ...state, refresh, refreshWhenVisible }),
    [state, refresh, refreshWhenVisible],
  );
}
