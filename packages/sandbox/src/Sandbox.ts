import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Fleet, parseClusterList, DEFAULT_CLUSTERS } from './kubernetes/Fleet';
import { createKubeApiRouter } from './kubernetes/KubeApiRouter';
import { createAdminRouter, SandboxEndpoints } from './admin/AdminRouter';
import { RequestStats } from './RequestStats';
import { GitRepository } from './github/GitRepository';
import { createGitHubRestRouter } from './github/GitHubRestRouter';
import { SANDBOX_PEOPLE, SANDBOX_USERS } from './github/GitHubUsers';
import { seedGitOpsRepository } from './github/seedGitOpsRepository';
import { PullRequestStore } from './github/PullRequestStore';
import { OAuthTokens, createOAuthRouter } from './github/OAuthRouter';
import { ArgoSync, ArgoSyncOptions } from './sync/ArgoSync';
import path from 'node:path';

const GITOPS_OWNER = 'omnivision-ai';
const GITOPS_REPO = 'omnivision-gitops';

export interface SandboxOptions {
  /** Folder for the sandbox's state (created when missing). */
  dataDir: string;
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
}

/**
 * The sandbox: one HTTP service that stands in for GitHub and for the Kubernetes API servers
 * of the simulated GPU fleet, with an admin API for tests, scripts and benchmarks.
 */
export class Sandbox {
  readonly fleet: Fleet;
  readonly sync: ArgoSync;
  readonly stats = RequestStats.create();
  readonly #server: http.Server;
  readonly #options: SandboxOptions;
  #url = '';

  static async create(options: SandboxOptions): Promise<Sandbox> {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const repository = await GitRepository.open(
      path.join(options.dataDir, `${GITOPS_REPO}.git`),
    );
    await seedGitOpsRepository(repository);
    return new Sandbox(options, repository);
  }

  private constructor(
    options: SandboxOptions,
    readonly repository: GitRepository,
  ) {
    this.#options = options;
    this.fleet = Fleet.create({
      clusters: parseClusterList(options.clusters ?? DEFAULT_CLUSTERS),
      dataDir: options.dataDir,
    });
    this.sync = ArgoSync.create({
      repository,
      fleet: this.fleet,
      ...options.sync,
    });
    const app = express();
    app.disable('x-powered-by');
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
        bookmarkIntervalMs: options.watchBookmarkIntervalMs,
      }),
    );
    app.use(
      '/api/v3',
      createGitHubRestRouter({
        owner: GITOPS_OWNER,
        repo: GITOPS_REPO,
        repository,
        users: SANDBOX_USERS,
        teams: {
          'platform-team': SANDBOX_USERS.filter(u => u.role === 'approver').map(
            u => u.login,
          ),
        },
        pulls: PullRequestStore.open(path.join(options.dataDir, 'pulls.json')),
        oauthTokens,
        stats: this.stats,
        baseUrl: () => this.#url,
      }),
    );
    app.use(
      '/sandbox',
      createAdminRouter({
        fleet: this.fleet,
        stats: this.stats,
        endpoints: () => this.endpoints(),
        sync: this.sync,
      }),
    );
    app.get('/', (_req, res) => {
      res.json({
        service: 'omnivision-sandbox',
        endpoints: `${this.#url}/sandbox/endpoints`,
      });
    });
    this.#server = http.createServer(app);
    // Watches stay open for minutes; don't let Node's request timeout cut them.
    this.#server.requestTimeout = 0;
  }

  get url(): string {
    return this.#url;
  }

  endpoints(): SandboxEndpoints {
    return {
      github: {
        apiBaseUrl: `${this.#url}/api/v3`,
        webBaseUrl: this.#url,
        owner: GITOPS_OWNER,
        repo: GITOPS_REPO,
        users: SANDBOX_PEOPLE.map(({ login, role, token }) => ({
          login,
          role,
          token,
        })),
      },
      clusters: [...this.fleet.clusters.values()].map(c => ({
        name: c.name,
        cloud: c.spec.cloud,
        region: c.spec.region,
        url: `${this.#url}/k8s/${c.name}`,
        token: c.spec.token,
      })),
    };
  }

  async start(): Promise<string> {
    const host = this.#options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port ?? 7010, host, () => resolve());
    });
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://${host}:${port}`;
    this.sync.start();
    return this.#url;
  }

  async stop(): Promise<void> {
    await this.sync.stop();
    for (const cluster of this.fleet.clusters.values())
      cluster.dropConnections();
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }
}
