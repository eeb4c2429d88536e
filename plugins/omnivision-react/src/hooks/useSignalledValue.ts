import { useEffect, useRef } from 'react';
import { useApiHolder } from '@backstage/frontend-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  DEFAULT_POLL_INTERVAL_MS,
  usePolledValue,
  type PolledValue,
} from './usePolledValue';

/**
 * How often a value kept current by signals is fetched anyway, for a signal missed while the
 * connection was down.
 *
 * @public
 */
export const SIGNAL_FALLBACK_INTERVAL_MS = 60_000;

/**
 * Options of {@link useSignalledValue}.
 *
 * @public
 */
export interface SignalledValueOptions<TMessage> {
  /** The signals channel on which the backend announces that the value changed. */
  channel: string;
  /** Whether a message is about this value; every message on the channel is when left out. */
  matches?: (message: TMessage) => boolean;
  /**
   * How often to fetch anyway while signals are available, for a signal missed while the
   * connection was down; 60 s unless given, 0 for never (signals only).
   */
  fallbackIntervalMs?: number;
}

/**
 * A value the backend announces changes of by a signal (`@backstage/plugin-signals`): fetched
 * once, again whenever a matching message arrives on `options.channel`, and otherwise only every
 * `fallbackIntervalMs`. A hidden tab fetches nothing: the messages arriving meanwhile make one
 * fetch when it shows again. Without the signals API in the app it polls every
 * {@link DEFAULT_POLL_INTERVAL_MS}, as {@link usePolledValue} does (whose fetching it is). `load`
 * must be stable (wrap it in useCallback); `matches` need not be.
 *
 * It subscribes through the signal API itself rather than `useSignal`, which keeps only the last
 * message: two messages arriving before a render would otherwise count as one, and the one about
 * this value could be the one lost.
 *
 * @public
 */
export function useSignalledValue<T, TMessage = unknown>(
  load: () => Promise<T>,
  options: SignalledValueOptions<TMessage>,
): PolledValue<T> {
  const {
    channel,
    matches,
    fallbackIntervalMs = SIGNAL_FALLBACK_INTERVAL_MS,
  } = options;
  const signals = useApiHolder().get(signalApiRef);
  const value = usePolledValue(
    load,
    signals ? fallbackIntervalMs : DEFAULT_POLL_INTERVAL_MS,
  );
  const { refreshWhenVisible } = value;
  const matchesRef = useRef(matches);
  matchesRef.current = matches;

  useEffect(() => {
    if (!signals || !refreshWhenVisible) return undefined;
    const subscription = signals.subscribe(channel, message => {
      const concerned = matchesRef.current;
      if (!concerned || concerned(message as unknown as TMessage)) {
        refreshWhenVisible();
      }
    });
    return () => subscription.unsubscribe();
  }, [signals, channel, refreshWhenVisible]);

  return value;
}
