import express, { NextFunction, Request, Response } from 'express';
import type { GoogleAccessTokens } from './GoogleAccessTokens';
import type { RequestStats } from '../RequestStats';

/** What the metadata server knows of the VM it serves: its project and service account. */
export interface MetadataServerOptions {
  projectId: string;
  numericProjectId: string;
  serviceAccountEmail: string;
  zone: string;
  tokens: GoogleAccessTokens;
  stats: RequestStats;
  /** Epoch milliseconds. */
  now: () => number;
}

/** How long its access tokens live, as GCE's (about an hour). */
export const GOOGLE_ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/**
 * A Compute Engine metadata server (`/computeMetadata/v1/...`, plain HTTP), for the parts that
 * Application Default Credentials (google-auth-library, gcp-metadata) read: the default
 * service account's access token, email, aliases and scopes, the project id, the universe
 * domain. As GCE: `Metadata-Flavor: Google` is required (403 without it), any
 * `X-Forwarded-For` is refused (403), every answer carries `Metadata-Flavor: Google`, a
 * directory without its trailing slash redirects (301) to it, and `?recursive=true` answers a
 * directory as JSON.
 */
export function createMetadataRouter(
  options: MetadataServerOptions,
): express.Router {
  const { serviceAccountEmail: email } = options;
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Metadata-Flavor', 'Google');
    res.setHeader('Server', 'Metadata Server for VM');
    const flavor = req.header('metadata-flavor');
    const refused =
      flavor !== 'Google' || req.header('x-forwarded-for') !== undefined;
    options.stats.record('gce-metadata', {
      tokenLabel: refused ? 'refused' : 'metadata-flavor',
      endpoint: req.path.replace(
        /\/service-accounts\/[^/]+@[^/]+\//,
        '/service-accounts/{email}/',
      ),
      verb: req.method,
    });
    if (req.header('x-forwarded-for') !== undefined) {
      res
        .status(403)
        .type('text/plain')
        .send('Request with X-Forwarded-For header is forbidden\n');
      return;
    }
    if (flavor !== 'Google') {
      res
        .status(403)
        .type('text/html')
        .send('Missing required header "Metadata-Flavor": "Google"\n');
      return;
    }
    if (req.method !== 'GET') {
      res.status(405).type('text/plain').send('Method Not Allowed\n');
      return;
    }
    next();
  });

  const serviceAccount = () => ({
    aliases: ['default'],
    email,
    scopes: SCOPES,
  });
  const text = (res: Response, value: string) =>
    res.type('application/text').send(value);
  /** A directory: JSON with `?recursive=true`, else its entries one a line. */
  const directory = (
    req: Request,
    res: Response,
    tree: Record<string, unknown>,
  ) => {
    if (req.query.recursive === 'true') {
      res.json(tree);
      return;
    }
    text(
      res,
      Object.entries(tree)
        .map(([k, v]) =>
          v && typeof v === 'object' && !Array.isArray(v) ? `${k}/` : k,
        )
        .map(k => `${k}\n`)
        .join(''),
    );
  };
  const instance = () => ({
    'service-accounts': {
      default: serviceAccount(),
      [email]: serviceAccount(),
    },
    zone: `projects/${options.numericProjectId}/zones/${options.zone}`,
  });
  const project = () => ({
    'project-id': options.projectId,
    'numeric-project-id': options.numericProjectId,
  });
  const isAccount = (name: string) => name === 'default' || name === email;

  router.get('/v1/instance/service-accounts/:account/token', (req, res) => {
    if (!isAccount(req.params.account)) {
      res.status(404).type('text/html').send('Not Found\n');
      return;
    }
    const expiresAt =
      options.now() + GOOGLE_ACCESS_TOKEN_LIFETIME_SECONDS * 1000;
    res.json({
      access_token: options.tokens.issue(email, expiresAt),
      expires_in: GOOGLE_ACCESS_TOKEN_LIFETIME_SECONDS,
      token_type: 'Bearer',
    });
  });
  router.get(
    '/v1/instance/service-accounts/:account/:attribute',
    (req, res, next) => {
      const { account, attribute } = req.params;
      if (!isAccount(account)) return next();
      if (attribute === 'email') return text(res, email);
      if (attribute === 'aliases') return text(res, 'default\n');
      if (attribute === 'scopes')
        return text(res, SCOPES.map(s => `${s}\n`).join(''));
      return next();
    },
  );
  router.get('/v1/instance/service-accounts/:account/', (req, res, next) => {
    if (!isAccount(req.params.account)) return next();
    return directory(req, res, serviceAccount());
  });
  router.get('/v1/instance/service-accounts/', (req, res) =>
    directory(req, res, instance()['service-accounts']),
  );
  router.get('/v1/instance/zone', (_req, res) => text(res, instance().zone));
  router.get('/v1/instance/', (req, res) => directory(req, res, instance()));
  router.get('/v1/project/project-id', (_req, res) =>
    text(res, options.projectId),
  );
  router.get('/v1/project/numeric-project-id', (_req, res) =>
    text(res, options.numericProjectId),
  );
  router.get('/v1/project/', (req, res) => directory(req, res, project()));
  router.get('/v1/universe/universe-domain', (_req, res) =>
    text(res, 'googleapis.com'),
  );
  router.get('/v1/', (req, res) =>
    directory(req, res, { instance: instance(), project: project() }),
  );
  // A directory asked for without its trailing slash: GCE redirects to it.
  router.get(
    /^\/v1(\/instance|\/project|\/instance\/service-accounts(\/[^/]+)?)?$/,
    (req, res) => {
      const [pathname, search] = req.originalUrl.split('?');
      res.redirect(301, `${pathname}/${search ? `?${search}` : ''}`);
    },
  );
  router.use((_req, res) => {
    res.status(404).type('text/html').send('Not Found\n');
  });
  return router;
}
