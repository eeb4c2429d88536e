import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { SandboxCertificateAuthority } from './SandboxCertificateAuthority';

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'omnivision-ca-'));
}

/** Serves one answer over TLS with the credentials, and connects to it with the CA bundle. */
async function handshake(
  credentials: { cert: string; key: string },
  ca: string,
  servername: string,
): Promise<string> {
  const server = https.createServer(credentials, (_req, res) => res.end('ok'));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port, ca, servername },
        () => {
          socket.end();
          resolve(socket.getPeerCertificate().subjectaltname ?? '');
        },
      );
      socket.on('error', reject);
    });
  } finally {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  }
}

describe('SandboxCertificateAuthority', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  function dir() {
    const d = tempDir();
    dirs.push(d);
    return path.join(d, 'tls');
  }

  it('creates a CA at the first opening, with a key only its owner reads, and reuses it later', async () => {
    const tlsDir = dir();
    const ca = await SandboxCertificateAuthority.open(tlsDir);
    expect(ca.certFile).toBe(path.join(tlsDir, 'ca.crt'));
    expect(fs.readFileSync(ca.certFile, 'utf8')).toBe(ca.certPem);
    expect(ca.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(Buffer.from(ca.caData, 'base64').toString('utf8')).toBe(ca.certPem);
    const keyFile = path.join(tlsDir, 'ca.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8')).toMatch(
      /^-----BEGIN PRIVATE KEY-----/,
    );

    const cert = new crypto.X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toContain('CN=OmniVision sandbox CA');
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.serialNumber).toMatch(/^[0-7]/);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(
      Date.now() + 5 * 365 * 24 * 3600 * 1000,
    );

    const again = await SandboxCertificateAuthority.open(tlsDir);
    expect(again.certPem).toBe(ca.certPem);
  });

  it('issues server certificates for IP addresses and host names that TLS clients trusting the CA accept', async () => {
    const ca = await SandboxCertificateAuthority.open(dir());
    const server = await ca.issueServerCertificate([
      '127.0.0.1',
      '::1',
      'localhost',
      'sandbox.example',
    ]);
    const cert = new crypto.X509Certificate(server.cert);
    const caCert = new crypto.X509Certificate(ca.certPem);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBeDefined();
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('sandbox.example')).toBe('sandbox.example');
    expect(cert.checkHost('elsewhere.example')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(
      crypto.createPrivateKey(server.key).asymmetricKeyDetails?.namedCurve,
    ).toBe('prime256v1');

    const san = await handshake(server, ca.certPem, 'localhost');
    expect(san).toContain('IP Address:127.0.0.1');
    expect(san).toContain('DNS:localhost');
  });

  it('is not trusted by a client that trusts another CA', async () => {
    const ca = await SandboxCertificateAuthority.open(dir());
    const other = await SandboxCertificateAuthority.open(dir());
    expect(other.certPem).not.toBe(ca.certPem);
    const server = await ca.issueServerCertificate(['127.0.0.1', 'localhost']);
    await expect(
      handshake(server, other.certPem, 'localhost'),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET/),
    });
  });

  it('replaces a CA whose files are damaged or whose key does not match', async () => {
    const tlsDir = dir();
    const first = await SandboxCertificateAuthority.open(tlsDir);
    fs.writeFileSync(path.join(tlsDir, 'ca.key'), 'not a key');
    const second = await SandboxCertificateAuthority.open(tlsDir);
    expect(second.certPem).not.toBe(first.certPem);
    const server = await second.issueServerCertificate(['127.0.0.1']);
    expect(
      new crypto.X509Certificate(server.cert).checkIssued(
        new crypto.X509Certificate(second.certPem),
      ),
    ).toBe(true);

    // A key from another CA beside this certificate: replaced too.
    const otherDir = dir();
    await SandboxCertificateAuthority.open(otherDir);
    fs.copyFileSync(path.join(otherDir, 'ca.key'), path.join(tlsDir, 'ca.key'));
    const third = await SandboxCertificateAuthority.open(tlsDir);
    expect(third.certPem).not.toBe(second.certPem);
  });
});
