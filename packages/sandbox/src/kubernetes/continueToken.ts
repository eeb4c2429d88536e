import { KubeApiError } from './ObjectStore';

/**
 * Where a paged list resumes: the version of its first page and the last key it went through,
 * as JSON in base64url (the API server's token holds the same, in its own format).
 */
export interface ContinueToken {
  /** The version of the list the token continues. */
  rv: number;
  /** The last key the list went through. */
  start: string;
}

/** The token of a page's `continue`. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** Reads a `continue` token: `400 BadRequest` when it is not one. */
export function decodeContinue(text: string): ContinueToken {
  let token: ContinueToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new KubeApiError(
      400,
      'BadRequest',
      'continue key is not valid: incorrect encoded start resourceVersion',
    );
  }
  if (typeof token?.rv !== 'number' || typeof token.start !== 'string') {
    throw new KubeApiError(400, 'BadRequest', 'continue key is not valid');
  }
  return token;
}
