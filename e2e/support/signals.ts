import type { Page, WebSocket } from '@playwright/test';

/**
 * How long the signals client of `@backstage/plugin-signals` may keep a socket it gave up on: it
 * waits 1 s for a socket to open, and replaces one that did not 5 s later (a socket that opened
 * late meanwhile carries subscriptions whose messages the client drops).
 */
const SETTLED_MS = 6_000;

interface SignalsSocket {
  socket: WebSocket;
  /** When the page subscribed to each channel on this socket. */
  subscribed: Map<string, number>;
}

function parseFrame(payload: string | Buffer): any {
  try {
    return JSON.parse(String(payload));
  } catch {
    return undefined;
  }
}

/**
 * What one page hears from the backend's signals (`/api/signals`, a WebSocket): whether it listens
 * on a channel, and the messages that arrived. Create it before the page loads the portal.
 */
export class PageSignals {
  #current: SignalsSocket | undefined;
  readonly #received: Array<{ channel: string; message: unknown }> = [];

  constructor(page: Page) {
    page.on('websocket', socket => {
      if (!new URL(socket.url()).pathname.endsWith('/api/signals')) return;
      const current: SignalsSocket = { socket, subscribed: new Map() };
      this.#current = current;
      socket.on('framesent', frame => {
        const data = parseFrame(frame.payload);
        if (
          data?.action === 'subscribe' &&
          !current.subscribed.has(data.channel)
        ) {
          current.subscribed.set(data.channel, Date.now());
        }
      });
      socket.on('framereceived', frame => {
        const data = parseFrame(frame.payload);
        if (typeof data?.channel === 'string') {
          this.#received.push({ channel: data.channel, message: data.message });
        }
      });
    });
  }

  /**
   * Whether a message on `channel` reaches the page now: it subscribed on its open socket long
   * enough ago that the client keeps that socket. Wait for it before a change whose signal alone
   * must update the page (the fleet pages' fallback poll is off in the Playwright portal).
   */
  listensTo(channel: string): boolean {
    const current = this.#current;
    const since = current?.subscribed.get(channel);
    return (
      !!current &&
      !current.socket.isClosed() &&
      since !== undefined &&
      Date.now() - since >= SETTLED_MS
    );
  }

  /** The messages that arrived on `channel`, oldest first. */
  received<T>(channel: string): T[] {
    return this.#received
      .filter(r => r.channel === channel)
      .map(r => r.message as T);
  }
}
