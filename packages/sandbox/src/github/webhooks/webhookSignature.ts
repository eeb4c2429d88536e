import crypto from 'node:crypto';
import fs from 'node:fs';
import { findPackageJSON } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as WebhooksMethods from '@octokit/webhooks-methods';

/**
 * `@octokit/webhooks-methods`, loaded from its ES module entry. The package exports for `import`
 * only, and the sandbox runs as CommonJS (tsx, and Jest in every package whose tests start a
 * sandbox), where a bare `require` of it fails: find the entry its manifest names and require
 * that file (Node loads ES modules through `require`, Jest transforms them).
 */
export function loadWebhooksMethods(): typeof WebhooksMethods {
  const manifestFile = findPackageJSON(
    '@octokit/webhooks-methods',
    pathToFileURL(__filename),
  );
  if (!manifestFile)
    throw new Error('@octokit/webhooks-methods is not installed');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const entry: string = manifest.exports['.'].node.import;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.resolve(path.dirname(manifestFile), entry));
}

let webhooksMethods: typeof WebhooksMethods | undefined;

/**
 * The signature headers of a webhook delivery's body, as GitHub sends them when the webhook has
 * a secret: `X-Hub-Signature-256` (HMAC SHA-256, made by `@octokit/webhooks-methods`' `sign`)
 * and, for older integrations, `X-Hub-Signature` (HMAC SHA-1).
 */
export async function signatureHeaders(
  secret: string,
  body: string,
): Promise<Record<string, string>> {
  webhooksMethods ??= loadWebhooksMethods();
  return {
    'X-Hub-Signature': `sha1=${crypto
      .createHmac('sha1', secret)
      .update(body)
      .digest('hex')}`,
    'X-Hub-Signature-256': await webhooksMethods.sign(secret, body),
  };
}
