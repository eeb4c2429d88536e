import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * The portal's GitHub App's private key, as GitHub hands it out (an RSA key in PKCS#1 PEM,
 * "Generate a private key" on the app's settings page). It is created at the sandbox's first
 * start in `<dataDir>/github-app/private-key.pem`, readable by its owner only, and reused at later
 * starts, so that configs pointing at the file (app-config.sandbox.yaml's `apps:`) keep working.
 * The sandbox keeps the public half to verify the app's JWTs.
 */
export class GitHubAppKey {
  private constructor(
    /** The PEM file the portal's config reads the key from. */
    readonly privateKeyFile: string,
    /** The key GitHub verifies the app's JWTs with. */
    readonly publicKey: crypto.KeyObject,
  ) {}

  /** Opens the key kept in `dir`, creating it when it is missing or unreadable. */
  static async open(dir: string): Promise<GitHubAppKey> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, 'private-key.pem');
    try {
      const privateKey = crypto.createPrivateKey(fs.readFileSync(file, 'utf8'));
      if (privateKey.asymmetricKeyType === 'rsa')
        return new GitHubAppKey(file, crypto.createPublicKey(privateKey));
    } catch {
      // Missing or unreadable: a new one below.
    }
    const { privateKey, publicKey } = await generateKeyPair('rsa', {
      modulusLength: 2048,
    });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, pem, { mode: 0o600 });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, file);
    return new GitHubAppKey(file, publicKey);
  }
}
