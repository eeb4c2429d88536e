import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PORTAL_APP } from '../GitHubApp';
import {
  Delivery,
  DeliveryDetail,
  DeliveryLog,
  DeliverySummary,
  WebhookPayload,
} from './DeliveryLog';
import { signatureHeaders } from './webhookSignature';
import type { WebhookConfig } from './WebhookConfig';

/** The GitHub Enterprise Server version the sandbox emulates (its REST description's). */
const ENTERPRISE_VERSION = '3.19.0';
/** The `User-Agent` of GitHub's webhook deliveries is `GitHub-Hookshot/<its build>`. */
const HOOKSHOT_BUILD = '5a1c0de';

export interface WebhookDelivererOptions {
  url?: string | null;
  secret?: string;
  /** Attempts per delivery before it is logged `failed`: 4 by default. */
  attempts?: number;
  /** The wait before the first retry, doubling at each retry: 1000 ms by default. */
  retryMs?: number;
  /** How long a receiver has to answer: 10 s by default, as GitHub. */
  timeoutMs?: number;
  /** The sandbox's host, sent as `X-GitHub-Enterprise-Host`. */
  host: () => string;
  /** How many deliveries the log keeps. */
  logSize?: number;
}

/**
 * Delivers the webhooks of the portal's GitHub App as GitHub does: a POST of the event's JSON to
 * the app's webhook URL with GitHub's headers (`X-GitHub-Event`, `X-GitHub-Delivery`, the hook's
 * and installation target's ids, the signatures when there is a secret, `GitHub-Hookshot/...`).
 * Deliveries go out one at a time in the order their events happened, apart from the requests
 * that caused them; a delivery that fails (no answer, no answer within the timeout, or a status
 * other than 2xx) is tried again after a wait that doubles, then logged `failed`. While
 * deliveries are held (an outage), new events are logged `held` and never sent, and releasing
 * the hold does not send them: as on GitHub, only a manual redelivery does.
 */
export class WebhookDeliverer {
  readonly #log: DeliveryLog;
  readonly #options: Required<Omit<WebhookDelivererOptions, 'url' | 'secret'>>;
  readonly #queue: Delivery[] = [];
  readonly #stopping = new AbortController();
  #url: string | null;
  #secret: string | undefined;
  #held = false;
  #pump: Promise<void> | undefined;

  static create(options: WebhookDelivererOptions): WebhookDeliverer {
    return new WebhookDeliverer(options);
  }

  private constructor(options: WebhookDelivererOptions) {
    this.#url = options.url ?? null;
    this.#secret = options.secret || undefined;
    this.#options = {
      attempts: options.attempts ?? 4,
      retryMs: options.retryMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 10_000,
      host: options.host,
      logSize: options.logSize ?? 1000,
    };
    this.#log = DeliveryLog.create(this.#options.logSize);
  }

  /** The configuration as the admin API shows it: never the secret itself. */
  get config(): {
    url: string | null;
    secretConfigured: boolean;
    held: boolean;
  } {
    return {
      url: this.#url,
      secretConfigured: this.#secret !== undefined,
      held: this.#held,
    };
  }

  /** Whether events are delivered (or held) at all: the webhook has a URL. */
  get active(): boolean {
    return this.#url !== null;
  }

  configure(config: WebhookConfig) {
    this.#url = config.url;
    if (config.secret !== undefined) this.#secret = config.secret || undefined;
  }

  /** Starts an outage: events from now on are logged `held` and not sent. */
  hold() {
    this.#held = true;
  }

  /** Ends the outage; held deliveries stay held. */
  release() {
    this.#held = false;
  }

  /**
   * Logs an event's delivery and queues it, unless the webhook has no URL. The payload is built
   * now, when the event happens; a payload that cannot be built fails its delivery, never the
   * caller.
   */
  emit(
    event: string,
    action: string | null,
    build: () => WebhookPayload | Promise<WebhookPayload>,
  ) {
    if (!this.active || this.#stopping.signal.aborted) return;
    const built = Promise.resolve().then(build);
    built.catch(() => undefined);
    this.#enqueue(
      this.#log.add({
        guid: crypto.randomUUID(),
        event,
        action,
        status: this.#held ? 'held' : 'pending',
        redelivery: false,
        built,
      }),
    );
  }

  /** GitHub's manual redelivery: a new delivery of the same payload (and guid). */
  redeliver(id: number): DeliverySummary | undefined {
    const original = this.#log.get(id);
    if (!original) return undefined;
    const delivery = this.#log.add({
      guid: original.guid,
      event: original.event,
      action: original.action,
      status: this.#held ? 'held' : 'pending',
      redelivery: true,
      built: original.built,
    });
    this.#enqueue(delivery);
    return this.#log.summaries().find(d => d.id === delivery.id);
  }

  /** The logged deliveries, newest first. */
  deliveries(): DeliverySummary[] {
    return this.#log.summaries();
  }

  delivery(id: number): DeliveryDetail | undefined {
    return this.#log.detail(id);
  }

  /** Resolves once no delivery is pending (delivered, failed, or held). */
  async drain(): Promise<void> {
    while (this.#pump) await this.#pump;
  }

  /** Stops delivering: the attempt under way is cut, nothing more is sent. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.drain();
  }

  #enqueue(delivery: Delivery) {
    delivery.built.then(
      payload => {
        delivery.request.payload = payload;
      },
      () => undefined,
    );
    if (delivery.status === 'held') return;
    this.#queue.push(delivery);
    this.#pump ??= this.#deliverQueued().finally(() => {
      this.#pump = undefined;
    });
  }

  async #deliverQueued() {
    for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
      if (this.#stopping.signal.aborted) next.status = 'failed';
      else await this.#deliver(next);
    }
  }

  async #deliver(delivery: Delivery) {
    let body: string;
    try {
      body = JSON.stringify(await delivery.built);
    } catch (error) {
      delivery.status = 'failed';
      delivery.error = `the payload could not be built: ${
        (error as Error).message
      }`;
      return;
    }
    const { attempts, retryMs } = this.#options;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && !(await this.#wait(retryMs * 2 ** (attempt - 2))))
        break;
      if (await this.#attempt(delivery, body)) {
        delivery.status = 'delivered';
        return;
      }
    }
    delivery.status = 'failed';
  }

  /** One attempt: POST the body, and whether the receiver took it (2xx). */
  async #attempt(delivery: Delivery, body: string): Promise<boolean> {
    const url = this.#url;
    delivery.attempts += 1;
    delivery.deliveredAt = new Date().toISOString();
    delivery.response = null;
    delete delivery.statusCode;
    delete delivery.error;
    if (!url) {
      delivery.error = 'the webhook has no URL';
      return false;
    }
    const headers = await this.#headers(delivery, body);
    delivery.url = url;
    delivery.request.headers = headers;
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([
          AbortSignal.timeout(this.#options.timeoutMs),
          this.#stopping.signal,
        ]),
      });
      const text = await response.text();
      delivery.statusCode = response.status;
      delivery.response = {
        statusCode: response.status,
        body: text.slice(0, 4096),
      };
      return response.ok;
    } catch (error) {
      delivery.error =
        (error as Error).name === 'TimeoutError'
          ? `timed out after ${this.#options.timeoutMs} ms`
          : (error as Error).message;
      return false;
    } finally {
      delivery.durationMs = Math.round(performance.now() - started);
    }
  }

  async #headers(
    delivery: Delivery,
    body: string,
  ): Promise<Record<string, string>> {
    return {
      Accept: '*/*',
      'Content-Type': 'application/json',
      'User-Agent': `GitHub-Hookshot/${HOOKSHOT_BUILD}`,
      'X-GitHub-Delivery': delivery.guid,
      'X-GitHub-Event': delivery.event,
      'X-GitHub-Hook-ID': String(PORTAL_APP.hookId),
      'X-GitHub-Hook-Installation-Target-ID': String(PORTAL_APP.appId),
      'X-GitHub-Hook-Installation-Target-Type': 'integration',
      'X-GitHub-Enterprise-Version': ENTERPRISE_VERSION,
      'X-GitHub-Enterprise-Host': this.#options.host(),
      ...(this.#secret ? await signatureHeaders(this.#secret, body) : {}),
    };
  }

  /** Waits, unless the deliverer stops first: whether the wait ran its course. */
  async #wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#stopping.signal });
      return true;
    } catch {
      return false;
    }
  }
}
