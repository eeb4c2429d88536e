import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook delivery as the receiver got it: headers, the raw body, and the body parsed. */
export interface ReceivedDelivery {
  headers: http.IncomingHttpHeaders;
  body: string;
  payload: any;
  /** When it arrived (`performance.now()`). */
  receivedAt: number;
}

/**
 * A local HTTP server that receives webhooks for a test: it keeps every request, and answers
 * 200 unless told to answer otherwise (a status, or no answer at all) for the next requests.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  readonly #server: http.Server;
  readonly #answers: Array<number | 'hang'> = [];
  readonly #hanging = new Set<http.ServerResponse>();

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>(resolve =>
      receiver.#server.listen(0, '127.0.0.1', resolve),
    );
    return receiver;
  }

  private constructor() {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', chunk => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({
          headers: req.headers,
          body,
          payload: JSON.parse(body),
          receivedAt: performance.now(),
        });
        const answer = this.#answers.shift() ?? 200;
        if (answer === 'hang') {
          this.#hanging.add(res);
          return;
        }
        res.writeHead(answer, { 'content-type': 'text/plain' });
        res.end(answer < 300 ? 'ok' : 'receiver failed');
      });
    });
  }

  get url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/webhooks`;
  }

  /** Answers the next requests so (a status, or `hang`: no answer), then 200 again. */
  answerNext(...answers: Array<number | 'hang'>) {
    this.#answers.push(...answers);
  }

  /** The deliveries of one event (and action), in the order they arrived. */
  of(event: string, action?: string): ReceivedDelivery[] {
    return this.received.filter(
      d =>
        d.headers['x-github-event'] === event &&
        (action === undefined || d.payload.action === action),
    );
  }

  async stop() {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }
}
