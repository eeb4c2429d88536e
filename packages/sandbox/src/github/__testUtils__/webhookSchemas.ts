import type { ValidateFunction } from 'ajv';
import { createGitHubAjv } from './githubAjv';

const ID = 'https://github.com/octokit/webhooks/schema.json';

type Json = any;

/** Without `$schema` (the definitions name draft-07 without its `#`, which Ajv does not know). */
function withoutSchemaKeyword(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutSchemaKeyword);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    if (key !== '$schema') out[key] = withoutSchemaKeyword(value);
  return out;
}

/** GitHub's webhook payload schemas (`@octokit/webhooks-schemas`), one per event and action. */
export class WebhookSchemas {
  readonly #ajv = createGitHubAjv();
  readonly #definitions: Record<string, Json>;
  readonly #validators = new Map<string, ValidateFunction>();

  static load(): WebhookSchemas {
    return new WebhookSchemas(require('@octokit/webhooks-schemas'));
  }

  private constructor(schema: Json) {
    const { oneOf: _all, ...rest } = withoutSchemaKeyword(schema);
    this.#definitions = rest.definitions;
    this.#ajv.addSchema({ ...rest, $id: ID });
  }

  /** Problems of a payload against its event's schema (`push$event`, `pull_request$opened`, ...). */
  check(event: string, payload: { action?: string }): string[] {
    const key = `${event}$${payload.action ?? 'event'}`;
    if (!this.#definitions[key]) return [`${key}: no such webhook schema`];
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile({
        $ref: `${ID}#/definitions/${key.replace('$', '%24')}`,
      });
      this.#validators.set(key, validate);
    }
    if (validate(payload)) return [];
    return (validate.errors ?? []).map(
      e =>
        `${key}: ${e.instancePath || '(payload)'} ${e.message} ${JSON.stringify(
          e.params,
        )}`,
    );
  }
}
