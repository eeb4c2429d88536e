import type { ResourceType } from './resources';
import { KubeApiError } from './ObjectStore';

/**
 * The representations of objects a client can ask the API servers for with `Accept`, as the
 * Kubernetes API server negotiates them: the objects themselves, or their metadata only
 * (`application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` for a list,
 * `as=PartialObjectMetadata` for one object and for the objects of watch events).
 */
export type Representation =
  | { as: 'full' }
  | {
      as: 'PartialObjectMetadata' | 'PartialObjectMetadataList';
      /** `meta.k8s.io/v1` or `meta.k8s.io/v1beta1`. */
      apiVersion: string;
    };

/** The media types the API servers answer in; the API server adds YAML and protobuf. */
const SERVED_MEDIA_TYPES = ['application/json', 'application/*', '*/*'];
const METADATA_VERSIONS = ['v1', 'v1beta1'];

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map(part => {
      const [type, ...rest] = part.split(';').map(s => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).toLowerCase()] = p.slice(eq + 1);
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q };
    })
    .filter(r => r.type && r.q > 0)
    .sort((a, b) => b.q - a.q);
}

/**
 * Picks what to answer a request with from its `Accept` header, as the API server does: the
 * first media range it can serve wins (JSON, as the objects or, with `as=` and
 * `g=meta.k8s.io`, as metadata); a range asking for a transform it does not serve is skipped
 * (the sandbox serves no `Table`); nothing servable is `406 Not Acceptable`. A transform that
 * does not fit the request (`PartialObjectMetadata` for a list, `PartialObjectMetadataList`
 * for one object or a watch) is `406` too, without trying the next range, as the API server
 * answers.
 */
export function negotiateRepresentation(
  accept: string | undefined,
  request: { type: ResourceType; list: boolean; watch: boolean },
): Representation {
  const ranges = parseAccept(accept?.trim() ? accept : '*/*');
  const chosen = ranges.find(r => {
    if (!SERVED_MEDIA_TYPES.includes(r.type)) return false;
    if (r.params.as === undefined) return true;
    return (
      r.params.g === 'meta.k8s.io' &&
      METADATA_VERSIONS.includes(r.params.v) &&
      (r.params.as === 'PartialObjectMetadata' ||
        r.params.as === 'PartialObjectMetadataList')
    );
  });
  if (!chosen) {
    throw new KubeApiError(
      406,
      'NotAcceptable',
      'only the following media types are accepted: application/json',
    );
  }
  const as = chosen.params.as as
    | 'PartialObjectMetadata'
    | 'PartialObjectMetadataList'
    | undefined;
  if (as === undefined) return { as: 'full' };
  const apiVersion = `meta.k8s.io/${chosen.params.v}`;
  const goType = `*${request.type.version}.${request.type.kind}${
    request.list ? 'List' : ''
  }`;
  if (as === 'PartialObjectMetadata' && request.list && !request.watch) {
    throw new KubeApiError(
      406,
      'NotAcceptable',
      `you requested PartialObjectMetadata, but the requested object is a list (${goType})`,
    );
  }
  if (as === 'PartialObjectMetadataList' && (!request.list || request.watch)) {
    throw new KubeApiError(
      406,
      'NotAcceptable',
      `you requested PartialObjectMetadataList, but the requested object is not a list (*${request.type.version}.${request.type.kind})`,
    );
  }
  return { as, apiVersion };
}

/** One object in the representation asked for: itself, or `PartialObjectMetadata`. */
export function represent(
  object: { metadata: object; [field: string]: unknown },
  representation: Representation,
): unknown {
  if (representation.as === 'full') return object;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: representation.apiVersion,
    metadata: object.metadata,
  };
}

/** The kind and apiVersion of a list in the representation asked for. */
export function listTypeOf(
  type: ResourceType,
  apiVersion: string,
  representation: Representation,
): { kind: string; apiVersion: string } {
  if (representation.as === 'full')
    return { kind: `${type.kind}List`, apiVersion };
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: representation.apiVersion,
  };
}

/**
 * How a request is counted in `/sandbox/stats` (`byEndpoint`): a read of the objects keeps the
 * endpoint's pattern; a read of metadata only adds `;as=<kind>`
 * (`LIST /api/v1/secrets;as=PartialObjectMetadataList`), so whether Secrets were read in full or
 * as metadata shows per endpoint. A request refused `406` counts under the `as=` it asked for.
 */
export function countedEndpoint(
  endpoint: string,
  representation: Representation | undefined,
  accept: string | undefined,
): string {
  const as = representation
    ? representation.as !== 'full' && representation.as
    : parseAccept(accept ?? '').find(r => r.params.as)?.params.as;
  return as ? `${endpoint};as=${as}` : endpoint;
}
