import crypto from 'node:crypto';
import fs from 'node:fs';
import express, { Request, Response } from 'express';
import type { GitHubUser } from './GitHubUsers';
import type { RequestStats } from '../RequestStats';

/** The OAuth app the portal's dev config signs in with (development-only credentials). */
export const SANDBOX_OAUTH_APP = {
  clientId: 'sandbox-portal-oauth-app',
  clientSecret: 'sandbox-portal-oauth-secret',
};

interface PendingCode {
  login: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

/** Access tokens issued through the web flow, persisted so sessions survive a restart. */
export class OAuthTokens {
  readonly #file: string;
  readonly #tokens: Record<string, string>;

  static open(file: string): OAuthTokens {
    return new OAuthTokens(file);
  }

  private constructor(file: string) {
    this.#file = file;
    this.#tokens = fs.existsSync(file)
      ? JSON.parse(fs.readFileSync(file, 'utf8'))
      : {};
  }

  issue(login: string): string {
    const token = `gho_${crypto.randomBytes(18).toString('hex')}`;
    this.#tokens[token] = login;
    fs.writeFileSync(this.#file, JSON.stringify(this.#tokens));
    return token;
  }

  loginOf(token: string): string | undefined {
    return this.#tokens[token];
  }
}

/** How the sign-in page names each role. */
const ROLE_NAMES: Record<GitHubUser['role'], string> = {
  'data-scientist': 'data scientist',
  approver: 'approver',
  both: 'data scientist and approver',
  app: 'app',
};

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/** Loopback redirects only: the sandbox's OAuth app serves local development. */
function isAllowedRedirect(uri: string) {
  try {
    const url = new URL(uri);
    return (
      url.protocol === 'http:' &&
      ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

/**
 * GitHub's OAuth web flow: `/login/oauth/authorize` shows one button per sandbox user (the
 * person "signs in" by picking who they are), and `/login/oauth/access_token` exchanges the
 * one-time code for an access token, as JSON or form-encoded like GitHub.
 */
export function createOAuthRouter(options: {
  users: GitHubUser[];
  tokens: OAuthTokens;
  stats: RequestStats;
}): express.Router {
  const { users, tokens, stats } = options;
  const codes = new Map<string, PendingCode>();
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));
  router.use(express.json());

  const badRequest = (res: Response, message: string) => {
    res
      .status(400)
      .type('html')
      .send(
        `<!doctype html><title>Sandbox sign-in</title><p>${escapeHtml(
          message,
        )}</p>`,
      );
  };

  router.get('/authorize', (req: Request, res: Response) => {
    stats.record('github', {
      tokenLabel: 'anonymous',
      endpoint: '/login/oauth/authorize',
      verb: 'GET',
    });
    const {
      client_id: clientId,
      redirect_uri: redirectUri,
      state = '',
      scope = '',
    } = req.query as Record<string, string>;
    if (clientId !== SANDBOX_OAUTH_APP.clientId)
      return badRequest(
        res,
        `Unknown OAuth application: ${clientId ?? '(none)'}`,
      );
    if (!redirectUri || !isAllowedRedirect(redirectUri))
      return badRequest(res, 'The redirect_uri must be a loopback http URL.');
    const hidden = (name: string, value: string) =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const buttons = users
      .map(
        u =>
          `<button type="submit" name="login" value="${escapeHtml(
            u.login,
          )}">${escapeHtml(u.login)}</button> <small>${escapeHtml(u.name)}, ${
            ROLE_NAMES[u.role]
          }</small><br>`,
      )
      .join('\n');
    return res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to the OmniVision sandbox GitHub</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto}button{font-size:1rem;margin:.3rem 0;padding:.4rem 1rem}</style></head>
<body><h1>Sandbox GitHub</h1><p>Authorize the portal${
      scope ? ` (scopes: ${escapeHtml(scope)})` : ''
    } as:</p>
<form method="post" action="authorize">
${hidden('client_id', clientId)}${hidden('redirect_uri', redirectUri)}${hidden(
      'state',
      state,
    )}
${buttons}
</form></body></html>`);
  });

  router.post('/authorize', (req: Request, res: Response) => {
    const {
      client_id: clientId,
      redirect_uri: redirectUri,
      state = '',
      login,
    } = req.body ?? {};
    if (clientId !== SANDBOX_OAUTH_APP.clientId)
      return badRequest(res, 'Unknown OAuth application.');
    if (!redirectUri || !isAllowedRedirect(redirectUri))
      return badRequest(res, 'The redirect_uri must be a loopback http URL.');
    if (!users.some(u => u.login === login))
      return badRequest(res, `No sandbox user named ${login}.`);
    const code = crypto.randomBytes(10).toString('hex');
    codes.set(code, {
      login,
      clientId,
      redirectUri,
      expiresAt: Date.now() + 10 * 60_000,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (state) target.searchParams.set('state', state);
    return res.redirect(302, target.toString());
  });

  router.post('/access_token', (req: Request, res: Response) => {
    stats.record('github', {
      tokenLabel: 'oauth-app',
      endpoint: '/login/oauth/access_token',
      verb: 'POST',
    });
    const params = {
      ...(req.query as Record<string, string>),
      ...(req.body ?? {}),
    };
    const reply = (body: Record<string, string>) => {
      if ((req.header('accept') ?? '').includes('json')) res.json(body);
      else
        res
          .type('application/x-www-form-urlencoded')
          .send(new URLSearchParams(body).toString());
    };
    if (
      params.client_id !== SANDBOX_OAUTH_APP.clientId ||
      params.client_secret !== SANDBOX_OAUTH_APP.clientSecret
    ) {
      return reply({
        error: 'incorrect_client_credentials',
        error_description:
          'The client_id and/or client_secret passed are incorrect.',
      });
    }
    const pending = codes.get(params.code);
    codes.delete(params.code);
    if (
      !pending ||
      pending.expiresAt < Date.now() ||
      pending.clientId !== params.client_id ||
      (params.redirect_uri && params.redirect_uri !== pending.redirectUri)
    ) {
      return reply({
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      });
    }
    return reply({
      access_token: tokens.issue(pending.login),
      token_type: 'bearer',
      scope: 'read:user,repo',
    });
  });

  return router;
}
