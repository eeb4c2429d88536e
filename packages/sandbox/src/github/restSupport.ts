import type { NextFunction, Request, Response } from 'express';

const DOCS = 'https://docs.github.com/rest';

/** A failure answered with GitHub's error body by the router's error handler. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

/** GitHub's error body: `{ message, documentation_url, errors? }`. */
export function fail(
  res: Response,
  status: number,
  message: string,
  errors?: unknown[],
) {
  res.status(status).json({
    message,
    documentation_url: DOCS,
    ...(errors ? { errors } : {}),
    status: String(status),
  });
}

export function asyncHandler(
  fn: (req: Request, res: Response) => Promise<void>,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res).catch(next);
  };
}

/** GitHub's `Link` header and page slice for `per_page` / `page` (defaults 30 and 1, at most 100). */
export function paginate<T>(
  req: Request,
  res: Response,
  items: T[],
  baseUrl: string,
): T[] {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.query.per_page ?? 30) || 30),
  );
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const url = new URL(baseUrl);
    for (const [k, v] of Object.entries(req.query))
      if (typeof v === 'string') url.searchParams.set(k, v);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(p));
    return `<${url}>; rel="${rel}"`;
  };
  // In GitHub's order: prev, next, last, first.
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  if (links.length) res.setHeader('Link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}
