import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { createGitHubAjv } from './githubAjv';

/** GitHub's published REST description the sandbox is held to. */
export const DESCRIPTION = 'ghes-3.19.json';
const ID = 'https://github.com/octokit/openapi/ghes-3.19';

type Json = any;

/**
 * An OpenAPI 3.0 schema as JSON Schema for Ajv: `nullable: true` becomes a `null` type (and a
 * `null` enum member), and references into the document are made absolute so that any schema
 * can be compiled on its own against the whole document.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out[key] = `${ID}${value}`;
    else out[key] = toJsonSchema(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null))
        out.enum = [...out.enum, null];
    } else {
      return { anyOf: [{ type: 'null' }, out] };
    }
  }
  return out;
}

const normalize = (template: string) =>
  template.replace(/\{[^}]+\}|:[A-Za-z_]+|\*/g, '{}');

export interface CheckedResponse {
  method: string;
  /** The operation's path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  status: number;
  body: unknown;
  headers: Record<string, string | number | undefined>;
}

/** GitHub's REST description, with the response schemas of its operations compiled on demand. */
export class GitHubOpenApi {
  readonly #doc: Json;
  readonly #ajv: Ajv;
  readonly #validators = new Map<string, ValidateFunction | null>();
  /** `METHOD template` of every operation a response was checked for. */
  readonly covered = new Set<string>();

  static load(): GitHubOpenApi {
    const dir = path.dirname(require.resolve('@octokit/openapi/package.json'));
    return new GitHubOpenApi(
      JSON.parse(
        fs.readFileSync(path.join(dir, 'generated', DESCRIPTION), 'utf8'),
      ),
    );
  }

  private constructor(doc: Json) {
    this.#doc = doc;
    this.#ajv = createGitHubAjv();
    this.#ajv.addSchema({
      $id: ID,
      components: { schemas: toJsonSchema(doc.components.schemas) },
    });
  }

  /** The description's path template an Express route path stands for (`:x` and `*` are parameters). */
  templateOf(method: string, routePath: string): string | undefined {
    const wanted = normalize(routePath);
    return Object.keys(this.#doc.paths).find(
      t => normalize(t) === wanted && this.#doc.paths[t][method.toLowerCase()],
    );
  }

  /**
   * The path template a request URL (as Octokit follows a `Link`) stands for: the one with the
   * most literal segments among those it fits; a last parameter may span slashes (refs, paths).
   */
  templateForUrl(method: string, url: string, apiBaseUrl: string): string {
    // Still encoded: a parameter's slashes (`%2F`) do not split it.
    const pathname = new URL(url).pathname.slice(
      new URL(apiBaseUrl).pathname.length,
    );
    const fits = Object.keys(this.#doc.paths).filter(t => {
      if (!this.#doc.paths[t][method.toLowerCase()]) return false;
      const source = t
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{[^}]+\}$/, '.+')
        .replace(/\{[^}]+\}/g, '[^/]+');
      return new RegExp(`^${source}$`).test(pathname);
    });
    const literals = (t: string) =>
      t.split('/').filter(part => !part.startsWith('{')).length;
    fits.sort((a, b) => literals(b) - literals(a));
    return fits[0] ?? pathname;
  }

  #resolve(node: Json): Json {
    if (node?.$ref) {
      const [, kind, name] = node.$ref.match(/^#\/components\/(\w+)\/(.+)$/);
      return this.#doc.components[kind][name];
    }
    return node;
  }

  /** Whether the operation's successful response documents a `Link` header (it paginates). */
  paginates(method: string, template: string): boolean {
    const op = this.#doc.paths[template]?.[method.toLowerCase()];
    const ok = this.#resolve(op?.responses?.['200']);
    return Boolean(ok?.headers?.Link);
  }

  /** Problems of a response against its operation in the description; empty when it is valid. */
  check(response: CheckedResponse): string[] {
    const method = response.method.toLowerCase();
    const op = this.#doc.paths[response.template]?.[method];
    const where = `${response.method.toUpperCase()} ${response.template} → ${
      response.status
    }`;
    if (!op) return [`${where}: no such operation in ${DESCRIPTION}`];
    this.covered.add(`${method.toUpperCase()} ${response.template}`);
    const documented = this.#resolve(op.responses[String(response.status)]);
    if (!documented)
      return [
        `${where}: status not documented (documented: ${Object.keys(
          op.responses,
        ).join(', ')})`,
      ];
    const key = `${method} ${response.template} ${response.status}`;
    if (!this.#validators.has(key)) {
      const schema = documented.content?.['application/json']?.schema;
      this.#validators.set(
        key,
        schema ? this.#ajv.compile(toJsonSchema(schema)) : null,
      );
    }
    const validate = this.#validators.get(key);
    const problems: string[] = [];
    if (!validate) {
      if (response.status === 204 && response.body)
        problems.push(`${where}: a 204 has no body`);
    } else if (!validate(response.body)) {
      for (const e of validate.errors ?? [])
        problems.push(
          `${where}: ${e.instancePath || '(body)'} ${
            e.message
          } ${JSON.stringify(e.params)}`,
        );
    }
    const headers = documented.headers ?? {};
    if (headers.Link && response.headers.link !== undefined)
      problems.push(
        ...checkLinkHeader(String(response.headers.link)).map(
          p => `${where}: Link ${p}`,
        ),
      );
    return problems;
  }
}

/** A `Link` header as GitHub sends it: absolute URLs with page and per_page, known rels. */
export function parseLinkHeader(header: string): Map<string, URL> {
  const links = new Map<string, URL>();
  for (const part of header.split(/,\s*(?=<)/)) {
    const match = part.match(/^<([^>]+)>; rel="(\w+)"$/);
    if (!match) throw new Error(`malformed link ${JSON.stringify(part)}`);
    links.set(match[2], new URL(match[1]));
  }
  return links;
}

function checkLinkHeader(header: string): string[] {
  let links: Map<string, URL>;
  try {
    links = parseLinkHeader(header);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  for (const [rel, url] of links) {
    if (!['next', 'last', 'prev', 'first'].includes(rel))
      problems.push(`unknown rel ${rel}`);
    if (!/^https?:$/.test(url.protocol))
      problems.push(`${url} is not absolute`);
    if (!/^[1-9]\d*$/.test(url.searchParams.get('page') ?? ''))
      problems.push(`${url} has no page`);
  }
  if (links.has('next') !== links.has('last'))
    problems.push('next and last go together');
  if (links.has('prev') !== links.has('first'))
    problems.push('prev and first go together');
  return problems;
}
