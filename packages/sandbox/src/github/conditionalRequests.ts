import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Whether an `If-None-Match` header names the entity tag (weak comparison, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch
    .split(',')
    .some(tag => tag.trim() === '*' || bare(tag) === bare(etag));
}

/**
 * GitHub's conditional requests: a GET answered 200 carries an `ETag` (a hash of its body,
 * quoted) and GitHub's caching headers; a GET whose `If-None-Match` names the current entity
 * tag is answered `304 Not Modified` with no body (Octokit raises it as a RequestError with
 * status 304).
 */
export function conditionalGets(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') {
      next();
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode !== 200) return json(body);
      const etag = `"${crypto
        .createHash('sha256')
        .update(JSON.stringify(body) ?? '')
        .digest('hex')}"`;
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', 'private, max-age=60, s-maxage=60');
      res.setHeader('Vary', 'Accept, Authorization, Cookie, X-GitHub-OTP');
      if (matches(req.header('if-none-match'), etag)) {
        res.status(304).end();
        return res;
      }
      return json(body);
    };
    next();
  };
}

/** Runs `listener` once, just before the response's status line and headers are written. */
export function onResponseHead(res: Response, listener: () => void) {
  const writeHead = res.writeHead;
  let called = false;
  res.writeHead = function writeHeadOnce(
    this: Response,
    ...args: Parameters<Response['writeHead']>
  ) {
    if (!called) {
      called = true;
      // The status a caller passes to writeHead is the one written.
      if (typeof args[0] === 'number') res.statusCode = args[0];
      listener();
    }
    return writeHead.apply(this, args);
  } as Response['writeHead'];
}
