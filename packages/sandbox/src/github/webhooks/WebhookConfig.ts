/** The app's webhook configuration, as the admin API changes it. */
export interface WebhookConfig {
  /** Where deliveries go; null: nowhere (nothing is delivered nor logged). */
  url: string | null;
  /** The secret deliveries are signed with; omitted: the current one is kept, '': none. */
  secret?: string;
}

/**
 * Checks a webhook configuration (the admin API's body, or the environment's values) and
 * returns it, or throws an Error saying what is wrong with it.
 */
export function parseWebhookConfig(input: unknown): WebhookConfig {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new Error(
      'the body must be { "url": string | null, "secret"?: string }',
    );
  const { url, secret } = input as Record<string, unknown>;
  if (url !== null) {
    if (typeof url !== 'string')
      throw new Error('"url" must be an http(s) URL or null');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`"url" is not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new Error('"url" must be an http(s) URL or null');
  }
  if (secret !== undefined && typeof secret !== 'string')
    throw new Error('"secret" must be a string');
  return secret === undefined ? { url } : { url, secret };
}
