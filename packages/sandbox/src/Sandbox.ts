import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { AddressInfo } from 'node:net';
import express from 'express';
import { Fleet, parseClusterList, DEFAULT_CLUSTERS } from './kubernetes/Fleet';
import type { ClusterSpec } from './kubernetes/SimulatedCluster';
import { createKubeApiRouter } from './kubernetes/KubeApiRouter';
import { createAdminRouter, SandboxEndpoints } from './admin/AdminRouter';
import { RequestStats } from './RequestStats';
import { GitRepository } from './github/GitRepository';
import { createGitHubRestRouter } from './github/GitHubRestRouter';
import { SANDBOX_PEOPLE, SANDBOX_USERS, teamsOf } from './github/GitHubUsers';
import {
  APP_PRINCIPAL,
  INSTALLATION_PRINCIPAL,
  PORTAL_APP,
} from './github/GitHubApp';
import { seedGitOpsRepository } from './github/seedGitOpsRepository';
import { PullRequestStore } from './github/PullRequestStore';
import { CommitStatusStore } from './github/CommitStatusStore';
import {
  WebhookDeliverer,
  WebhookDelivererOptions,
} from './github/webhooks/WebhookDeliverer';
import { OAuthTokens, createOAuthRouter } from './github/OAuthRouter';
import { ArgoSync, ArgoSyncOptions } from './sync/ArgoSync';
import { GitHubAppKey } from './github/GitHubAppKey';
import { AppJwtVerifier } from './github/AppJwtVerifier';
import { InstallationTokens } from './github/InstallationTokens';
import { GitHubAuthentication } from './github/GitHubAuthentication';
import { migrateAppLogin } from './github/migrateAppLogin';
import { SandboxCertificateAuthority } from './tls/SandboxCertificateAuthority';
import { CloudIdentity } from './cloud/CloudIdentity';
import path from 'node:path';
import { ImageFaults } from './prometheus/ImageFaults';
import { createPrometheusRouter } from './prometheus/PrometheusRouter';

const GITOPS_OWNER = 'omnivision-ai';
const GITOPS_REPO = 'omnivision-gitops';

export interface SandboxOptions {
  /**
   * Folder for the sandbox's state (created when missing); its CA lives in `<dataDir>/tls/`, the
   * GitHub App's private key in `<dataDir>/github-app/private-key.pem`.
   */
  dataDir: string;
  /** The address to listen on, and the host of the URLs it publishes. Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** `name:cloud:region,...`; defaults to the EKS us-west-2 and GKE europe-west1 clusters. */
  clusters?: string;
  watchBookmarkIntervalMs?: number;
  /** The Argo CD-like sync loop's timing (interval, autoscaler delay, canary clock factor). */
  sync?: Pick<
    ArgoSyncOptions,
    'intervalMs' | 'autoscaleDelayMs' | 'clockFactor'
  >;
  /**
   * The GitHub App's webhook: its URL and secret at start (the admin API changes them), and
   * its deliveries' attempts, retry delay and timeout.
   */
  webhooks?: Omit<WebhookDelivererOptions, 'host'>;
  /** The GitHub App's clock (JWTs, installation tokens' expiry), in ms since the epoch; tests set it. */
  now?: () => number;
}

/** The first byte of a TLS connection: a handshake record (the ClientHello). */
const TLS_HANDSHAKE = 0x16;

/** What a Go API server answers a plain HTTP request on its TLS port. */
const PLAIN_HTTP_REFUSAL = 'Client sent an HTTP request to an HTTPS server.\n';

/** What a cluster's API server accepts, as `/sandbox/endpoints` tells it. */
function clusterAuth(
  spec: ClusterSpec,
): SandboxEndpoints['clusters'][number]['auth'] {
  const staticToken = {
    name: spec.tokenName,
    principal: `static:${spec.tokenName}`,
  };
  return spec.cloud === 'aws'
    ? {
        cloudIdentity: 'aws-iam',
        backstageAuthProvider: 'aws',
        awsClusterId: spec.name,
        staticToken,
      }
    : {
        cloudIdentity: 'google-oauth',
        backstageAuthProvider: 'googleServiceAccount',
        staticToken,
      };
}

function urlHost(host: string) {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/**
 * The sandbox: one service that stands in for GitHub and for the Kubernetes API servers of the
 * simulated GPU fleet, with an admin API for tests, scripts and benchmarks. One port speaks both
 * HTTP and HTTPS, told apart by a connection's first byte: the API servers (`/k8s/...`) answer
 * over TLS only, with a certificate from the sandbox's own CA; GitHub and the admin API answer
 * over plain HTTP (and over TLS too).
 */
export class Sandbox {
  readonly fleet: Fleet;
  readonly sync: ArgoSync;
  readonly stats = RequestStats.create();
  /** Delivers the GitHub App's webhooks. */
  readonly webhooks: WebhookDeliverer;
  /** The CA that issues the API servers' certificate: trust it to talk to them. */
  readonly certificateAuthority: SandboxCertificateAuthority;
  /** The images whose pods report CUDA faults in the clusters' Prometheus. */
  readonly imageFaults = ImageFaults.create();
  /** The fleet's cloud identities: STS, the metadata server, what the API servers accept. */
  readonly cloudIdentity: CloudIdentity;
  /** The portal's GitHub App's private key (its file) and the public key its JWTs verify with. */
  readonly appKey: GitHubAppKey;
  readonly #listener: net.Server;
  readonly #httpServer: http.Server;
  readonly #httpsServer: https.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #options: SandboxOptions;
  #host = '';
  #port = 0;

  static async create(options: SandboxOptions): Promise<Sandbox> {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const host = options.host ?? '127.0.0.1';
    const certificateAuthority = await SandboxCertificateAuthority.open(
      path.join(options.dataDir, 'tls'),
    );
    const serverCredentials = await certificateAuthority.issueServerCertificate(
      ['127.0.0.1', '::1', 'localhost', host],
    );
    const appKey = await GitHubAppKey.open(
      path.join(options.dataDir, 'github-app'),
    );
    migrateAppLogin(options.dataDir);
    const repository = await GitRepository.open(
      path.join(options.dataDir, `${GITOPS_REPO}.git`),
    );
    await seedGitOpsRepository(repository);
    return new Sandbox(
      options,
      repository,
      certificateAuthority,
      serverCredentials,
      appKey,
    );
  }

  private constructor(
    options: SandboxOptions,
    readonly repository: GitRepository,
    certificateAuthority: SandboxCertificateAuthority,
    serverCredentials: { cert: string; key: string },
    appKey: GitHubAppKey,
  ) {
    this.#options = options;
    this.certificateAuthority = certificateAuthority;
    this.appKey = appKey;
    this.fleet = Fleet.create({
      clusters: parseClusterList(options.clusters ?? DEFAULT_CLUSTERS),
      dataDir: options.dataDir,
    });
    this.sync = ArgoSync.create({
      repository,
      fleet: this.fleet,
      imageFaults: this.imageFaults,
      ...options.sync,
    });
    this.cloudIdentity = CloudIdentity.open({
      dataDir: options.dataDir,
      stats: this.stats,
      now: options.now ?? Date.now,
      url: () => this.url,
      kubeUrl: () => this.kubeUrl,
      awsRegion:
        [...this.fleet.clusters.values()].find(c => c.spec.cloud === 'aws')
          ?.spec.region ?? 'us-west-2',
    });
    this.webhooks = WebhookDeliverer.create({
      ...options.webhooks,
      host: () => this.#host,
    });
    const app = express();
    app.disable('x-powered-by');
    // No ETags of Express's own: GitHub's GETs carry theirs (conditionalRequests.ts), and
    // Kubernetes API servers send none.
    app.disable('etag');
    const oauthTokens = OAuthTokens.open(
      path.join(options.dataDir, 'oauth-tokens.json'),
    );
    app.use(
      '/login/oauth',
      createOAuthRouter({
        users: SANDBOX_PEOPLE,
        tokens: oauthTokens,
        stats: this.stats,
      }),
    );
    app.use(
      '/k8s',
      createKubeApiRouter({
        clusters: this.fleet.clusters,
        stats: this.stats,
        authenticator: this.cloudIdentity.authenticator,
        bookmarkIntervalMs: options.watchBookmarkIntervalMs,
      }),
    );
    const installationTokens = InstallationTokens.open(
      path.join(options.dataDir, 'github-app/installation-tokens.json'),
      { now: options.now },
    );
    const authentication = GitHubAuthentication.create({
      users: SANDBOX_USERS,
      oauthTokens,
      installationTokens,
      jwtVerifier: AppJwtVerifier.create({
        appId: PORTAL_APP.appId,
        clientId: PORTAL_APP.clientId,
        publicKey: appKey.publicKey,
        now: options.now,
      }),
    });
    // The clouds' identity services, over plain HTTP as GCE's metadata server (at the root:
    // GCE_METADATA_HOST is a host only).
    app.use('/sts', this.cloudIdentity.stsRouter());
    app.use('/computeMetadata', this.cloudIdentity.metadataRouter());
    app.use('/oidc', this.cloudIdentity.oidcRouter());
    app.use(
      '/prometheus',
      createPrometheusRouter({ fleet: this.fleet, faults: this.imageFaults }),
    );
    app.use(
      '/api/v3',
      createGitHubRestRouter({
        owner: GITOPS_OWNER,
        repo: GITOPS_REPO,
        repository,
        users: SANDBOX_USERS,
        teams: teamsOf(SANDBOX_USERS),
        pulls: PullRequestStore.open(path.join(options.dataDir, 'pulls.json')),
        statuses: CommitStatusStore.open(
          path.join(options.dataDir, 'statuses.json'),
        ),
        deliverer: this.webhooks,
        authentication,
        installationTokens,
        stats: this.stats,
        baseUrl: () => this.url,
      }),
    );
    app.use(
      '/sandbox',
      createAdminRouter({
        fleet: this.fleet,
        stats: this.stats,
        endpoints: () => this.endpoints(),
        sync: this.sync,
        webhooks: this.webhooks,
        imageFaults: this.imageFaults,
      }),
    );
    app.get('/', (_req, res) => {
      res.json({
        service: 'omnivision-sandbox',
        endpoints: `${this.url}/sandbox/endpoints`,
      });
    });

    this.#httpServer = http.createServer((req, res) => {
      if (/^\/k8s(\/|\?|$)/.test(req.url ?? '')) {
        // The API servers listen on TLS only: refuse plain HTTP as a Go server does, so that
        // nothing can keep talking to them (and sending tokens) in the clear.
        res.writeHead(400, {
          'Content-Type': 'text/plain; charset=utf-8',
          Connection: 'close',
        });
        res.end(PLAIN_HTTP_REFUSAL);
        return;
      }
      app(req, res);
    });
    this.#httpsServer = https.createServer(serverCredentials, app);
    for (const server of [this.#httpServer, this.#httpsServer]) {
      // Watches stay open for minutes; don't let Node's request timeout cut them.
      server.requestTimeout = 0;
    }
    this.#listener = net.createServer(socket => this.#accept(socket));
  }

  /** Hands a new connection to the HTTPS or the HTTP server, by its first byte. */
  #accept(socket: net.Socket) {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    // Until a server owns the socket, a reset must not become an uncaught error.
    const ignore = () => undefined;
    socket.on('error', ignore);
    const route = () => {
      const first: Buffer | null = socket.read(1);
      if (first === null) {
        socket.once('readable', route);
        return;
      }
      socket.unshift(first);
      socket.removeListener('error', ignore);
      const server =
        first[0] === TLS_HANDSHAKE ? this.#httpsServer : this.#httpServer;
      server.emit('connection', socket);
    };
    socket.once('readable', route);
  }

  /** The base URL of GitHub and the admin API: `http://<host>:<port>`. */
  get url(): string {
    return this.#port ? `http://${urlHost(this.#host)}:${this.#port}` : '';
  }

  /** The base URL of the API servers (`<kubeUrl>/k8s/<cluster>`): `https://<host>:<port>`. */
  get kubeUrl(): string {
    return this.#port ? `https://${urlHost(this.#host)}:${this.#port}` : '';
  }

  endpoints(): SandboxEndpoints {
    const { caData, certFile } = this.certificateAuthority;
    return {
      github: {
        apiBaseUrl: `${this.url}/api/v3`,
        webBaseUrl: this.url,
        owner: GITOPS_OWNER,
        repo: GITOPS_REPO,
        users: SANDBOX_PEOPLE.map(({ login, role, token }) => ({
          login,
          role,
          token,
        })),
        app: {
          slug: PORTAL_APP.slug,
          login: PORTAL_APP.login,
          token: SANDBOX_USERS.find(u => u.login === PORTAL_APP.login)!.token,
          appId: PORTAL_APP.appId,
          clientId: PORTAL_APP.clientId,
          clientSecret: PORTAL_APP.clientSecret,
          privateKeyFile: this.appKey.privateKeyFile,
          installationId: PORTAL_APP.installationId,
          principals: {
            app: APP_PRINCIPAL,
            installation: INSTALLATION_PRINCIPAL,
          },
        },
      },
      clusters: [...this.fleet.clusters.values()].map(c => ({
        name: c.name,
        cloud: c.spec.cloud,
        region: c.spec.region,
        url: `${this.kubeUrl}/k8s/${c.name}`,
        prometheusUrl: `${this.url}/prometheus/${c.name}`,
        token: c.spec.token,
        caData,
        caFile: certFile,
        auth: clusterAuth(c.spec),
      })),
      tls: { caData, caFile: certFile },
      cloudIdentity: this.cloudIdentity.settings(),
    };
  }

  /** Starts listening; resolves with the base URL of GitHub and the admin API (`url`). */
  async start(): Promise<string> {
    const host = this.#options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.#listener.once('error', reject);
      this.#listener.listen(this.#options.port ?? 7010, host, () => {
        this.#listener.removeListener('error', reject);
        resolve();
      });
    });
    const { port } = this.#listener.address() as AddressInfo;
    this.#host = host;
    this.#port = port;
    this.cloudIdentity.start();
    this.sync.start();
    return this.url;
  }

  async stop(): Promise<void> {
    await this.sync.stop();
    await this.webhooks.stop();
    this.cloudIdentity.stop();
    for (const cluster of this.fleet.clusters.values())
      cluster.dropConnections();
    const closed = new Promise<void>(resolve =>
      this.#listener.close(() => resolve()),
    );
    // Every connection, HTTP or TLS, open watches included.
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }
}
