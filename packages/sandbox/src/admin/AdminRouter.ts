import express, { NextFunction, Request, Response } from 'express';
import type { Fleet } from '../kubernetes/Fleet';
import type { RequestStats } from '../RequestStats';
import { parseClusterFault } from '../kubernetes/ClusterFaults';
import {
  isComplianceBreak,
  COMPLIANCE_BREAKS,
} from '../kubernetes/complianceBreaks';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import type { ArgoSync } from '../sync/ArgoSync';
import type { PersonRole } from '../github/GitHubUsers';
import type { WebhookDeliverer } from '../github/webhooks/WebhookDeliverer';
import { createWebhookAdminRouter } from './WebhookAdminRouter';
import type { CloudIdentitySettings } from '../cloud/CloudIdentity';
import type { ImageFaults } from '../prometheus/ImageFaults';
import { createImageFaultsAdminRouter } from './ImageFaultsAdminRouter';

export interface SandboxEndpoints {
  github: {
    apiBaseUrl: string;
    webBaseUrl: string;
    owner: string;
    repo: string;
    users: Array<{
      login: string;
      role: PersonRole;
      token: string;
    }>;
    /**
     * The portal's GitHub App: its credentials (ids, the development-only client secret, the
     * file of its private key), its one installation, the principals `/stats` counts its calls
     * under, and its bot: the login installation tokens act as, and a static token of that bot
     * for test tools (the portal itself authenticates as the app).
     */
    app: {
      slug: string;
      login: string;
      token: string;
      appId: number;
      clientId: string;
      clientSecret: string;
      privateKeyFile: string;
      installationId: number;
      principals: { app: string; installation: string };
    };
  };
  /** The simulated API servers, each at an `https://` URL. */
  clusters: Array<{
    name: string;
    cloud: string;
    region: string;
    url: string;
    /** The service-account bearer token the API server accepts. */
    token: string;
    /** The CA of the API server's certificate: base64 of its PEM, as a kubeconfig has it. */
    caData: string;
    /** The same CA as a PEM file, e.g. for `kubectl --certificate-authority`. */
    caFile: string;
    /** The cluster's Prometheus (plain HTTP): `<prometheusUrl>/api/v1/query`. */
    prometheusUrl: string;
    /** What the API server accepts: its cloud's identity, and its static token (test tools). */
    auth: {
      /**
       * `aws-iam`: aws-iam-authenticator tokens (`k8s-aws-v1.`, a presigned STS
       * `GetCallerIdentity` with `x-k8s-aws-id: <awsClusterId>`); `google-oauth`: access tokens
       * of the sandbox's metadata server.
       */
      cloudIdentity: 'aws-iam' | 'google-oauth';
      /** Backstage's Kubernetes `authProvider` that sends it. */
      backstageAuthProvider: 'aws' | 'googleServiceAccount';
      /** The cluster id the token must be signed for (Backstage: `kubernetes.io/x-k8s-aws-id`, default the cluster name), EKS only. */
      awsClusterId?: string;
      /** The static token's name, and the principal its requests are counted under. */
      staticToken: { name: string; principal: string };
    };
  }>;
  /** The sandbox's CA, which issues the API servers' certificate. */
  tls: {
    caData: string;
    caFile: string;
  };
  /** The cloud identity settings of a backend that reads the clusters as the portal does. */
  cloudIdentity: CloudIdentitySettings;
}

export interface AdminRouterOptions {
  fleet: Fleet;
  stats: RequestStats;
  endpoints: () => SandboxEndpoints;
  sync: ArgoSync;
  /** The GitHub App's webhook deliveries. */
  webhooks: WebhookDeliverer;
  /** The images whose pods report CUDA faults. */
  imageFaults: ImageFaults;
}

/** Kubernetes' scalability limits: 5,000 nodes and 150,000 pods per cluster. */
const MAX_SCALE = { nodes: 5_000, pods: 150_000 };

function isLoopback(address: string | undefined) {
  return (
    !!address &&
    (address === '::1' ||
      address.startsWith('127.') ||
      address.startsWith('::ffff:127.'))
  );
}

function badRequest(res: Response, message: string) {
  res.status(400).json({ error: message });
}

/** The sandbox's admin API under /sandbox/, answered on loopback only. */
export function createAdminRouter(options: AdminRouterOptions): express.Router {
  const { fleet, stats } = options;
  const router = express.Router();
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (!isLoopback(req.socket.remoteAddress)) {
      res
        .status(403)
        .json({ error: 'the sandbox admin API answers on loopback only' });
      return;
    }
    next();
  });
  router.use(express.json());

  router.get('/endpoints', (_req, res) => {
    res.json(options.endpoints());
  });

  /** The sync loop: the revision of main it applied, and values files it could not read. */
  router.get('/sync', (_req, res) => {
    res.json({ revision: options.sync.revision, errors: options.sync.errors });
  });

  router.use('/webhooks', createWebhookAdminRouter(options.webhooks));
  router.use(
    '/images/faults',
    createImageFaultsAdminRouter(options.imageFaults),
  );

  router.get('/stats', (_req, res) => {
    const all = stats.snapshot();
    const clusters: Record<string, unknown> = {};
    for (const name of fleet.clusters.keys()) {
      clusters[name] = all[`k8s/${name}`] ?? {
        total: 0,
        byToken: {},
        byEndpoint: {},
        byTokenAndEndpoint: {},
        byVerb: {},
      };
    }
    const github = all.github ?? {
      total: 0,
      byToken: {},
      byEndpoint: {},
      byTokenAndEndpoint: {},
      byVerb: {},
    };
    res.json({
      github: {
        ...github,
        notModified: github.notModified ?? {
          total: 0,
          byToken: {},
          byEndpoint: {},
        },
      },
      clusters,
      // The clouds' identity services: STS calls per action, metadata server reads per path.
      sts: all.sts ?? { total: 0, byToken: {}, byEndpoint: {}, byVerb: {} },
      metadata: all['gce-metadata'] ?? {
        total: 0,
        byToken: {},
        byEndpoint: {},
        byVerb: {},
      },
    });
  });

  router.delete('/stats', (_req, res) => {
    stats.reset();
    res.status(204).end();
  });

  const withCluster =
    (
      handler: (
        cluster: SimulatedCluster,
        req: Request,
        res: Response,
      ) => void | Promise<void>,
    ) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const cluster = fleet.get(req.params.name);
      if (!cluster) {
        res.status(404).json({
          error: `no cluster named ${JSON.stringify(
            req.params.name,
          )}; known: ${[...fleet.clusters.keys()].join(', ')}`,
        });
        return;
      }
      try {
        await handler(cluster, req, res);
      } catch (error) {
        next(error);
      }
    };

  router.get(
    '/clusters/:name',
    withCluster((cluster, _req, res) => {
      res.json({
        name: cluster.name,
        cloud: cluster.spec.cloud,
        region: cluster.spec.region,
        fault: cluster.fault ?? null,
        brokenControls: fleet.breaks(cluster),
        resourceVersion: cluster.store.resourceVersion,
        objects: cluster.store.counts(),
      });
    }),
  );

  router.post(
    '/clusters/:name/faults',
    withCluster((cluster, req, res) => {
      try {
        const fault = parseClusterFault(req.body);
        cluster.setFault(fault);
        res.json({ cluster: cluster.name, fault });
      } catch (error) {
        badRequest(res, (error as Error).message);
      }
    }),
  );

  router.delete(
    '/clusters/:name/faults',
    withCluster((cluster, _req, res) => {
      cluster.setFault(undefined);
      res.json({ cluster: cluster.name, fault: null });
    }),
  );

  router.post(
    '/clusters/:name/scale',
    withCluster(async (cluster, req, res) => {
      const nodes = Number(req.body?.nodes);
      const pods =
        req.body?.pods === undefined ? undefined : Number(req.body.pods);
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_SCALE.nodes) {
        badRequest(
          res,
          `"nodes" must be a whole number from 1 to ${MAX_SCALE.nodes}`,
        );
        return;
      }
      if (
        pods !== undefined &&
        (!Number.isInteger(pods) || pods < 0 || pods > MAX_SCALE.pods)
      ) {
        badRequest(
          res,
          `"pods" must be a whole number from 0 to ${MAX_SCALE.pods}`,
        );
        return;
      }
      fleet.scale(cluster, { gpuNodes: nodes, pods });
      // Reseeding drops what Argo CD applied (the worker): answer once the loop has put it back,
      // so that the counts are those the cluster keeps.
      await options.sync.settle();
      res.json({ cluster: cluster.name, objects: cluster.store.counts() });
    }),
  );

  router.post(
    '/clusters/:name/compliance',
    withCluster((cluster, req, res) => {
      const control = req.body?.break;
      if (!isComplianceBreak(control)) {
        badRequest(
          res,
          `"break" must be one of ${COMPLIANCE_BREAKS.join(', ')}`,
        );
        return;
      }
      fleet.breakControl(cluster, control);
      res.json({
        cluster: cluster.name,
        brokenControls: fleet.breaks(cluster),
      });
    }),
  );

  router.delete(
    '/clusters/:name/compliance',
    withCluster((cluster, req, res) => {
      const control =
        (req.query.break as string | undefined) ?? req.body?.break;
      if (control !== undefined && !isComplianceBreak(control)) {
        badRequest(
          res,
          `"break" must be one of ${COMPLIANCE_BREAKS.join(', ')}`,
        );
        return;
      }
      fleet.restoreControl(cluster, control);
      res.json({
        cluster: cluster.name,
        brokenControls: fleet.breaks(cluster),
      });
    }),
  );

  /** Forgets the cluster's watch history and cuts its watches: the next watch gets 410 Gone. */
  router.post(
    '/clusters/:name/compact',
    withCluster((cluster, _req, res) => {
      cluster.store.compact();
      cluster.dropConnections();
      res.json({
        cluster: cluster.name,
        resourceVersion: cluster.store.resourceVersion,
      });
    }),
  );

  return router;
}
