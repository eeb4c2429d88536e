#!/usr/bin/env node
// `make start REPLICAS=N`: one address (the backend's, :7007) in front of N backends, as a load
// balancer is. Each request, and each websocket (the signals at /api/signals), goes to the next
// backend in turn; a backend that refuses the connection is skipped (and its request sent to the
// next), so stopping one replica loses nothing. Each answer names its backend in
// `x-omnivision-replica`.
//
//   node scripts/replica-proxy.mjs LISTEN_PORT BACKEND_PORT...
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const httpProxy = require('http-proxy');

const [listenPort, ...backendPorts] = process.argv.slice(2).map(Number);
if (!listenPort || backendPorts.length === 0 || backendPorts.some(p => !p)) {
  console.error('usage: replica-proxy.mjs LISTEN_PORT BACKEND_PORT...');
  process.exit(2);
}
const backends = backendPorts.map((port, i) => ({
  name: `${i + 1} (:${port})`,
  port,
  target: `http://127.0.0.1:${port}`,
}));
let next = 0;
/** The backends in the order to try them for one request. */
const turn = () => {
  const first = next++ % backends.length;
  return backends.map((_, i) => backends[(first + i) % backends.length]);
};

const proxy = httpProxy.createProxyServer({ xfwd: true });
proxy.on('proxyRes', (proxyRes, req) => {
  proxyRes.headers['x-omnivision-replica'] = req.replica;
});

const refused = error => error?.code === 'ECONNREFUSED';

const server = http.createServer(async (req, res) => {
  // The body is read first so that a request a stopped backend refused can go to the next.
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const candidates = turn();
  const attempt = i => {
    const backend = candidates[i];
    req.replica = backend.name;
    proxy.web(
      req,
      res,
      { target: backend.target, buffer: Readable.from([body]) },
      error => {
        if (refused(error) && i + 1 < candidates.length) {
          attempt(i + 1);
        } else if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`no backend answered: ${error?.message}\n`);
        } else {
          res.destroy();
        }
      },
    );
  };
  attempt(0);
});

// Websockets (Backstage's signals): to the next backend that accepts a connection. http-proxy
// closes the client's socket when its backend refuses, so a backend is tried before the upgrade.
const accepts = port =>
  new Promise(resolve => {
    const probe = net.connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
server.on('upgrade', async (req, socket, head) => {
  for (const backend of turn()) {
    if (await accepts(backend.port)) {
      proxy.ws(req, socket, head, { target: backend.target }, () =>
        socket.destroy(),
      );
      return;
    }
  }
  socket.destroy();
});

server.listen(listenPort, () => {
  console.log(
    `[replicas] http://localhost:${listenPort} -> ${backends
      .map(b => b.target)
      .join(', ')}`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
