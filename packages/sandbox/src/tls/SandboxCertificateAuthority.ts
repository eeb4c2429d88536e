import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
// Before @peculiar/x509, whose dependency injection (tsyringe) needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);
/** Node's WebCrypto, typed as the WebCrypto that @peculiar/x509 takes. */
const subtle = crypto.webcrypto.subtle as unknown as SubtleCrypto;

const EC_KEY: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start to be valid a little in the past, so clocks that differ slightly agree. */
const BACKDATE_MS = 60 * 60 * 1000;
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
const SERVER_LIFETIME_MS = 365 * DAY_MS;
/** A CA this close to its end is replaced at the next start rather than used. */
const CA_RENEW_BEFORE_MS = 30 * DAY_MS;

/** A certificate and its private key, both PEM, as `https.createServer` takes them. */
export interface ServerCredentials {
  cert: string;
  key: string;
}

/** A positive serial number (Go refuses negative ones): 16 random bytes, top bit clear. */
function serialNumber(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function writeFileAtomically(file: string, data: string, mode: number) {
  const temp = `${file}.${process.pid}.${crypto
    .randomBytes(4)
    .toString('hex')}.tmp`;
  fs.writeFileSync(temp, data, { mode });
  fs.chmodSync(temp, mode);
  fs.renameSync(temp, file);
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/**
 * The certificate authority of the sandbox's simulated API servers. It is created at the first
 * start in `<dataDir>/tls/` (`ca.crt`, and `ca.key` readable by its owner only) and reused at
 * later starts, so kubeconfigs and configs that trust it keep working; each start issues a
 * fresh server certificate from it.
 */
export class SandboxCertificateAuthority {
  private constructor(
    /** Path of the CA certificate (PEM): what `--certificate-authority` and `caFile` take. */
    readonly certFile: string,
    /** The CA certificate, PEM. */
    readonly certPem: string,
    readonly certificate: x509.X509Certificate,
    private readonly signingKey: CryptoKey,
  ) {}

  /** Opens the CA kept in `dir`, creating it when it is missing, unreadable or near its end. */
  static async open(dir: string): Promise<SandboxCertificateAuthority> {
    fs.mkdirSync(dir, { recursive: true });
    const certFile = path.join(dir, 'ca.crt');
    const keyFile = path.join(dir, 'ca.key');
    const existing = await SandboxCertificateAuthority.load(certFile, keyFile);
    if (existing) return existing;
    return SandboxCertificateAuthority.create(certFile, keyFile);
  }

  private static async load(
    certFile: string,
    keyFile: string,
  ): Promise<SandboxCertificateAuthority | undefined> {
    if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) return undefined;
    try {
      const certPem = fs.readFileSync(certFile, 'utf8');
      const certificate = new x509.X509Certificate(certPem);
      if (certificate.notAfter.getTime() - Date.now() < CA_RENEW_BEFORE_MS)
        return undefined;
      const signingKey = await subtle.importKey(
        'pkcs8',
        x509.PemConverter.decodeFirst(fs.readFileSync(keyFile, 'utf8')),
        EC_KEY,
        false,
        ['sign'],
      );
      // The key must be the one the certificate was issued for.
      const probe = Buffer.from('omnivision-sandbox-ca');
      const signature = await subtle.sign(SIGNING, signingKey, probe);
      const publicKey = await certificate.publicKey.export(EC_KEY, ['verify']);
      if (!(await subtle.verify(SIGNING, publicKey, signature, probe)))
        return undefined;
      return new SandboxCertificateAuthority(
        certFile,
        certPem,
        certificate,
        signingKey,
      );
    } catch {
      // Damaged files: a new CA replaces them.
      return undefined;
    }
  }

  private static async create(
    certFile: string,
    keyFile: string,
  ): Promise<SandboxCertificateAuthority> {
    const keys = (await subtle.generateKey(EC_KEY, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: 'CN=OmniVision sandbox CA, O=OmniVision sandbox',
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + CA_LIFETIME_MS),
      signingAlgorithm: SIGNING,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign |
            x509.KeyUsageFlags.cRLSign |
            x509.KeyUsageFlags.digitalSignature,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    const certPem = certificate.toString('pem');
    // The key first: a certificate on disk always has its key beside it.
    writeFileAtomically(
      keyFile,
      await exportPrivateKey(keys.privateKey),
      0o600,
    );
    writeFileAtomically(certFile, `${certPem}\n`, 0o644);
    return new SandboxCertificateAuthority(
      certFile,
      `${certPem}\n`,
      certificate,
      keys.privateKey,
    );
  }

  /** The CA certificate as a kubeconfig's `certificate-authority-data`: base64 of the PEM. */
  get caData(): string {
    return Buffer.from(this.certPem, 'utf8').toString('base64');
  }

  /**
   * Issues a server certificate for the given host names and IP addresses (its subject
   * alternative names), with a new key.
   */
  async issueServerCertificate(hosts: string[]): Promise<ServerCredentials> {
    const names = [...new Set(hosts.map(h => h.replace(/^\[|\]$/g, '')))];
    if (names.length === 0)
      throw new Error('a server certificate needs at least one host');
    const keys = (await subtle.generateKey(EC_KEY, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const now = Date.now();
    const notAfter = Math.min(
      now + SERVER_LIFETIME_MS,
      this.certificate.notAfter.getTime(),
    );
    const dnsName = names.find(n => net.isIP(n) === 0) ?? names[0];
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${dnsName}, O=OmniVision sandbox`,
      issuer: this.certificate.subject,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(notAfter),
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: this.signingKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          names.map(n => ({
            type: net.isIP(n) ? ('ip' as const) : ('dns' as const),
            value: n,
          })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(
          this.certificate.publicKey,
        ),
      ],
    });
    return {
      cert: `${certificate.toString('pem')}\n`,
      key: await exportPrivateKey(keys.privateKey),
    };
  }
}
