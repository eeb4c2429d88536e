import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A JSON answer serialized once, and its entity tag. */
export interface ServedDocument {
  /** The JSON body. */
  body: Buffer;
  /** A strong entity tag, quoted (`"…"`): the same for the same content. */
  etag: string;
}

/** The content without the moment it was built: two builds of the same figures are equal. */
function contentOf(value: unknown): string {
  return JSON.stringify(value, (key, v) =>
    key === 'generatedAt' ? undefined : v,
  );
}

/**
 * Serializes `value` once, with an entity tag computed from its content (its `generatedAt`
 * aside). When the content equals that of `previous`, `previous` itself is kept, with its body
 * and its tag: a client holding that tag gets `304 Not Modified`.
 */
export function serveDocument(
  value: unknown,
  previous?: ServedDocument,
): ServedDocument {
  const etag = `"${createHash('sha1')
    .update(contentOf(value))
    .digest('base64url')}"`;
  if (previous?.etag === etag) return previous;
  return { body: Buffer.from(JSON.stringify(value)), etag };
}

/** Whether an `If-None-Match` header names `etag` (a list of tags, weak or strong, or `*`). */
export function matchesIfNoneMatch(
  header: string | undefined,
  etag: string,
): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // Comparison for If-None-Match is weak (RFC 9110 §13.1.2): W/"x" matches "x".
  return header
    .split(',')
    .map(tag => tag.trim().replace(/^W\//, ''))
    .includes(etag);
}

/**
 * Answers with a served document: `304 Not Modified` and no body when the request's
 * `If-None-Match` names its tag, else `200` with the body. Either way with the `ETag`, and
 * `Cache-Control: private, no-cache`: only the person's own browser keeps it, and asks again
 * (conditionally) each time.
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
  res.status(200).type('application/json').send(document.body);
}
