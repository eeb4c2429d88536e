import { KubeApiError } from './ObjectStore';

/**
 * The options of a list or watch request, read from its query as the API server decodes
 * `ListOptions` (`k8s.io/apimachinery/pkg/apis/meta/internalversion`).
 */
export interface ListQuery {
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** Unset when the query does not name it: the API server tells unset from false. */
  sendInitialEvents?: boolean;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  continue?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: string;
  timeoutSeconds?: string;
}

/** `resourceVersionMatch=NotOlderThan`: state at least as new as `resourceVersion`. */
export const NOT_OLDER_THAN = 'NotOlderThan';
const EXACT = 'Exact';

function first(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
}

/** A boolean parameter as Go's query decoding reads it: present and not "0" or "false" is true. */
function flag(value: unknown): boolean | undefined {
  const text = first(value);
  if (text === undefined) return undefined;
  return text !== '0' && text.toLowerCase() !== 'false';
}

/** Reads a request's list options from its query string (the first value of a repeated one). */
export function readListQuery(query: Record<string, unknown>): ListQuery {
  return {
    watch: flag(query.watch) ?? false,
    allowWatchBookmarks: flag(query.allowWatchBookmarks) ?? false,
    sendInitialEvents: flag(query.sendInitialEvents),
    resourceVersion: first(query.resourceVersion),
    resourceVersionMatch: first(query.resourceVersionMatch),
    continue: first(query.continue),
    labelSelector: first(query.labelSelector),
    fieldSelector: first(query.fieldSelector),
    limit: first(query.limit),
    timeoutSeconds: first(query.timeoutSeconds),
  };
}

/**
 * The API server's defaulting of a watch (`SetListOptionsDefaults`, with the WatchList feature of
 * Kubernetes 1.32): a watch that names neither `sendInitialEvents` nor `resourceVersionMatch`,
 * from no version or "0", is a watch list: its initial events, then (with bookmarks allowed) the
 * bookmark that ends them.
 */
export function withWatchListDefaults(options: ListQuery): ListQuery {
  if (
    !options.watch ||
    options.sendInitialEvents !== undefined ||
    options.resourceVersionMatch
  ) {
    return options;
  }
  if (options.resourceVersion && options.resourceVersion !== '0') {
    return options;
  }
  return {
    ...options,
    sendInitialEvents: true,
    resourceVersionMatch: NOT_OLDER_THAN,
  };
}

/** A field of the options that is not valid, as `field.Error` names it. */
interface FieldError {
  field: string;
  type: 'FieldValueForbidden' | 'FieldValueNotSupported';
  /** The error without its field: `Forbidden: ...`, `Unsupported value: "x": supported values: ...`. */
  body: string;
}

function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', body: `Forbidden: ${detail}` };
}

function notSupported(
  field: string,
  value: string,
  supported: string[],
): FieldError {
  return {
    field,
    type: 'FieldValueNotSupported',
    body: `Unsupported value: ${JSON.stringify(
      value,
    )}: supported values: ${supported.map(v => JSON.stringify(v)).join(', ')}`,
  };
}

function watchErrors(options: ListQuery): FieldError[] {
  const errors: FieldError[] = [];
  const match = options.resourceVersionMatch ?? '';
  if (options.sendInitialEvents !== undefined && match !== NOT_OLDER_THAN) {
    errors.push(
      forbidden(
        'resourceVersionMatch',
        `sendInitialEvents requires setting resourceVersionMatch to ${NOT_OLDER_THAN}`,
      ),
    );
  }
  if (match) {
    if (options.sendInitialEvents === undefined) {
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        ),
      );
    }
    if (match !== NOT_OLDER_THAN) {
      errors.push(
        notSupported('resourceVersionMatch', match, [NOT_OLDER_THAN]),
      );
    }
    if (options.continue) {
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
  }
  return errors;
}

function listErrors(options: ListQuery): FieldError[] {
  const errors: FieldError[] = [];
  const match = options.resourceVersionMatch ?? '';
  if (match) {
    if (!options.resourceVersion) {
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (options.continue) {
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
    if (match !== EXACT && match !== NOT_OLDER_THAN) {
      errors.push(
        notSupported('resourceVersionMatch', match, [
          EXACT,
          NOT_OLDER_THAN,
          '',
        ]),
      );
    }
    if (match === EXACT && options.resourceVersion === '0') {
      errors.push(
        forbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (options.sendInitialEvents !== undefined) {
    errors.push(
      forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'),
    );
  }
  return errors;
}

/**
 * Validates list options as the API server does (`ValidateListOptions`, WatchList enabled):
 * `sendInitialEvents` only on a watch, and there with `resourceVersionMatch=NotOlderThan`;
 * `resourceVersionMatch` on a watch only with `sendInitialEvents`, on a list only with
 * `resourceVersion`, never with `continue`. Throws `422 Invalid` with a cause per field error,
 * as `apierrors.NewInvalid` reports them. (`allowWatchBookmarks` is not required: without it a
 * watch list gets its initial events but no bookmark ends them, as the API server's watch cache
 * serves it.)
 */
export function validateListQuery(options: ListQuery) {
  const errors = options.watch ? watchErrors(options) : listErrors(options);
  if (errors.length === 0) return;
  const messages = [...new Set(errors.map(e => `${e.field}: ${e.body}`))];
  throw new KubeApiError(
    422,
    'Invalid',
    `ListOptions.meta.k8s.io "" is invalid: ${
      messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`
    }`,
    {
      group: 'meta.k8s.io',
      kind: 'ListOptions',
      causes: errors.map(e => ({
        reason: e.type,
        message: e.body,
        field: e.field,
      })),
    },
  );
}
