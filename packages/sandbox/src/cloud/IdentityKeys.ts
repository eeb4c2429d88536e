import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

function writePrivateFile(file: string, data: string) {
  const temp = `${file}.${process.pid}.${crypto
    .randomBytes(4)
    .toString('hex')}.tmp`;
  fs.writeFileSync(temp, data, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

function readOrCreate(file: string, create: () => string): string {
  if (fs.existsSync(file)) {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  }
  const value = create();
  writePrivateFile(file, `${value}\n`);
  return value;
}

/**
 * The keys behind the sandbox's cloud identities, created at the first start in
 * `<dataDir>/cloud-identity/` (readable by their owner only) and reused at later starts, so that
 * credentials and tokens issued before a restart stay valid until they expire, as the clouds'
 * do: the OIDC issuer's RSA key, which signs the web identity tokens STS accepts, and the secret
 * from which temporary AWS credentials and Google access tokens are derived and checked.
 */
export class IdentityKeys {
  readonly #secret: Buffer;

  private constructor(
    /** The folder of the keys and of the files the portal reads (the web identity token). */
    readonly dir: string,
    readonly issuerKey: crypto.KeyObject,
    readonly issuerPublicKey: crypto.KeyObject,
    /** The JWK `kid` of the issuer key: base64url of the SHA-256 of its SPKI. */
    readonly issuerKeyId: string,
    secret: Buffer,
  ) {
    this.#secret = secret;
  }

  static open(dir: string): IdentityKeys {
    fs.mkdirSync(dir, { recursive: true });
    const issuerPem = readOrCreate(path.join(dir, 'oidc-issuer.key'), () =>
      crypto
        .generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    );
    const secretHex = readOrCreate(path.join(dir, 'signing.key'), () =>
      crypto.randomBytes(32).toString('hex'),
    );
    const issuerKey = crypto.createPrivateKey(issuerPem);
    const issuerPublicKey = crypto.createPublicKey(issuerKey);
    const keyId = crypto
      .createHash('sha256')
      .update(issuerPublicKey.export({ type: 'spki', format: 'der' }))
      .digest('base64url');
    return new IdentityKeys(
      dir,
      issuerKey,
      issuerPublicKey,
      keyId,
      Buffer.from(secretHex, 'hex'),
    );
  }

  /** An HMAC-SHA256 of `data` under the sandbox's secret, for `purpose`. */
  mac(purpose: string, data: string): Buffer {
    return crypto
      .createHmac('sha256', this.#secret)
      .update(`${purpose}\n${data}`)
      .digest();
  }
}

/** Compares two strings in constant time (for signatures and MACs). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
