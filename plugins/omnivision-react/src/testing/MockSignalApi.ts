import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';

type Listener = (message: any) => void;

/**
 * A signal API for tests (`@backstage/plugin-signals` has none): pages subscribe as they would to
 * the signals backend, and the test publishes the backend's messages. Give it to
 * `renderInTestApp` or `TestApiProvider` as `apis: [signals.apiPair()]`.
 *
 * @public
 */
export class MockSignalApi implements SignalApi {
  readonly #listeners = new Map<string, Set<Listener>>();

  subscribe(channel: string, onMessage: Listener) {
    const listeners = this.#listeners.get(channel) ?? new Set<Listener>();
    listeners.add(onMessage);
    this.#listeners.set(channel, listeners);
    return { unsubscribe: () => listeners.delete(onMessage) };
  }

  /** Delivers a message to everyone subscribed to the channel, as the backend's publish does. */
  publish(channel: string, message: object): void {
    for (const listener of this.#listeners.get(channel) ?? []) {
      listener(message);
    }
  }

  /** How many subscribe to the channel now. */
  subscribers(channel: string): number {
    return this.#listeners.get(channel)?.size ?? 0;
  }

  /** This API with its ref, as a test app's `apis` take it. */
  apiPair(): readonly [typeof signalApiRef, SignalApi] {
    return [signalApiRef, this];
  }
}
