/** A webhook payload: an event's JSON, with its `action` when the event has actions. */
export type WebhookPayload = { action?: string } & Record<string, unknown>;

/**
 * Where a delivery stands: `pending` until it is delivered or its attempts run out (`failed`);
 * `held` when its event happened while deliveries were held (never sent).
 */
export type DeliveryStatus = 'delivered' | 'failed' | 'held' | 'pending';

/** A delivery as `GET /sandbox/webhooks/deliveries` lists it. */
export interface DeliverySummary {
  id: number;
  /** The `X-GitHub-Delivery` header: the same for a delivery and its redeliveries. */
  guid: string;
  event: string;
  action: string | null;
  status: DeliveryStatus;
  /** The receiver's status code at the last attempt, when it answered. */
  statusCode?: number;
  attempts: number;
  /** When the last attempt was made. */
  deliveredAt?: string;
  /** How long the last attempt took. */
  durationMs?: number;
  redelivery: boolean;
}

/** A delivery in full, as `GET /sandbox/webhooks/deliveries/<id>` shows it. */
export interface DeliveryDetail extends DeliverySummary {
  /** Where the last attempt went. */
  url: string | null;
  /** What was sent: the headers (signatures, never the secret) and the payload. */
  request: {
    headers: Record<string, string>;
    payload: WebhookPayload | null;
  };
  /** What the receiver answered at the last attempt (its body cut at 4 KiB). */
  response: { statusCode: number; body: string } | null;
  /** Why the last attempt failed without an answer (a network error, a timeout). */
  error?: string;
}

/** A delivery as the deliverer keeps it: its detail, and its payload once built. */
export interface Delivery extends DeliveryDetail {
  /** The payload, built when the event happened (it may still be being built). */
  built: Promise<WebhookPayload>;
}

const SUMMARY_KEYS = [
  'id',
  'guid',
  'event',
  'action',
  'status',
  'statusCode',
  'attempts',
  'deliveredAt',
  'durationMs',
  'redelivery',
] as const;

/** The latest deliveries, in memory, the oldest forgotten past a bound (GitHub keeps 30 days). */
export class DeliveryLog {
  readonly #deliveries: Delivery[] = [];
  readonly #capacity: number;
  #nextId = 1;

  static create(capacity = 1000): DeliveryLog {
    return new DeliveryLog(capacity);
  }

  private constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Logs a new delivery, not yet attempted. */
  add(input: {
    guid: string;
    event: string;
    action: string | null;
    status: DeliveryStatus;
    redelivery: boolean;
    built: Promise<WebhookPayload>;
  }): Delivery {
    const delivery: Delivery = {
      ...input,
      id: this.#nextId++,
      attempts: 0,
      url: null,
      request: { headers: {}, payload: null },
      response: null,
    };
    this.#deliveries.push(delivery);
    if (this.#deliveries.length > this.#capacity) this.#deliveries.shift();
    return delivery;
  }

  get(id: number): Delivery | undefined {
    return this.#deliveries.find(d => d.id === id);
  }

  /** Every logged delivery, newest first. */
  summaries(): DeliverySummary[] {
    return [...this.#deliveries].reverse().map(summaryOf);
  }

  /** A delivery's detail, without the deliverer's own bookkeeping. */
  detail(id: number): DeliveryDetail | undefined {
    const delivery = this.get(id);
    if (!delivery) return undefined;
    const { built: _built, ...detail } = delivery;
    return structuredClone(detail);
  }
}

function summaryOf(delivery: Delivery): DeliverySummary {
  const summary: Record<string, unknown> = {};
  for (const key of SUMMARY_KEYS)
    if (delivery[key] !== undefined) summary[key] = delivery[key];
  return summary as unknown as DeliverySummary;
}
