// Exits 0 when something accepts a TCP connection at HOST PORT within a second, 1 otherwise.
import net from 'node:net';

const [host, port] = process.argv.slice(2);
const socket = net.connect({ host, port: Number(port) });
const done = code => {
  socket.destroy();
  process.exit(code);
};
socket.setTimeout(1000, () => done(1));
socket.once('connect', () => done(0));
socket.once('error', () => done(1));
