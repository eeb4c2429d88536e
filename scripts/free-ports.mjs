// Prints N distinct TCP ports on 127.0.0.1 that were free a moment ago, one per line.
import net from 'node:net';

const count = Number(process.argv[2] ?? 1);
const servers = await Promise.all(
  Array.from(
    { length: count },
    () =>
      new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
console.log(servers.map(s => s.address().port).join('\n'));
await Promise.all(servers.map(s => new Promise(r => s.close(r))));
