import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Request, Response } from 'express';

/** A JSON answer serialized once, and its entity tag. */
export interface ServedDocument {
  /** The JSON body. */
  body: Buffer;
  /** The body gzipped, once, for the clients that accept it (browsers, Node's fetch). */
  gzipped: () => Buffer;
  /**
   * A weak entity tag (`W/"…"`): the same for the same content, whatever moment the body was
   * built at (`generatedAt`, clock readings), on any replica.
   */
  etag: string;
}

/**
 * Serializes `value` once, with a weak entity tag computed from its content without
 * `generatedAt` and the `clockReadings` fields (at any depth). When that equals `previous`'s,
 * `previous` itself is kept, with its body and its tag: a client holding that tag gets
 * `304 Not Modified`.
 */
export function serveDocument(
  value: unknown,
  previous?: ServedDocument,
  clockReadings: readonly string[] = [],
): ServedDocument {
  const ignored = new Set(['generatedAt', ...clockReadings]);
  const content = JSON.stringify(value, (key, v) =>
    ignored.has(key) ? undefined : v,
  );
  const etag = `W/"${createHash('sha1').update(content).digest('base64url')}"`;
  if (previous?.etag === etag) return previous;
  const body = Buffer.from(JSON.stringify(value));
  let gzipped: Buffer | undefined;
  return { body, etag, gzipped: () => (gzipped ??= gzipSync(body)) };
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Whether an `If-None-Match` header names `etag` (a list of tags, weak or strong, or `*`). */
export function matchesIfNoneMatch(
  header: string | undefined,
  etag: string,
): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // If-None-Match compares weakly (RFC 9110 §13.1.2): W/"x" matches "x".
  return header.split(',').map(opaque).includes(opaque(etag));
}

/**
 * Answers with a served document: `304 Not Modified` and no body when the request's
 * `If-None-Match` names its tag, else `200` with the body, gzipped when the client accepts it.
 * Either way with the `ETag`, and `Cache-Control: private, no-cache`: only the person's own
 * browser keeps it, and asks again (conditionally) each time.
 */
export function sendDocument(
  req: Request,
  res: Response,
  document: ServedDocument,
): void {
  res.setHeader('ETag', document.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (matchesIfNoneMatch(req.header('if-none-match'), document.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type('application/json').vary('Accept-Encoding');
  // Compressed once per document rather than per answer (the compression middleware leaves an
  // encoded answer as it is).
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.send(document.gzipped());
    return;
  }
  res.send(document.body);
}
