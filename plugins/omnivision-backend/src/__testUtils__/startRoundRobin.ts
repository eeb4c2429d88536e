import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the round robin passed on, and the backend that answered it. */
export interface RoundRobinForward {
  method: string;
  path: string;
  /** The port of the backend that answered. */
  port: number;
  status: number;
  /** When it answered (`Date.now()`). */
  at: number;
}

/**
 * One address in front of several backends on 127.0.0.1, as a load balancer is: each request
 * goes to the next backend in turn; one that refuses the connection (stopped) is skipped for the
 * next, and when none takes it the caller gets 502.
 */
export async function startRoundRobin(ports: number[]) {
  const forwards: RoundRobinForward[] = [];
  let next = 0;
  const forward = (
    port: number,
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
  }> =>
    new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${port}` },
          agent: false,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const first = next++;
    for (let i = 0; i < ports.length; i++) {
      const port = ports[(first + i) % ports.length];
      try {
        const answer = await forward(port, req, body);
        forwards.push({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          port,
          status: answer.status,
          at: Date.now(),
        });
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      } catch (error) {
        // Down (refused the connection: nothing was sent): the next backend takes it. Any other
        // failure may have reached the backend, so it is not sent twice; the caller retries.
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
      }
    }
    res.writeHead(502).end('no backend answered');
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Every forwarded request, in order. */
    forwards,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
