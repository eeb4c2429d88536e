import type { GitRepository } from '../github/GitRepository';
import type { Fleet } from '../kubernetes/Fleet';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import {
  KubeObject,
  RESOURCE_TYPES,
  resourceTypeOf,
  resourceTypeOfKind,
} from '../kubernetes/resources';
import { MODEL_LABEL, CLUSTER_LABEL } from '@internal/plugin-omnivision-common';
import { GpuScheduler } from './GpuScheduler';
import { ClusterScheduling } from './ClusterScheduling';
import { RolloutController, podsOwnedBy } from './RolloutController';
import { HelmTemplate } from './HelmTemplate';
import { GitOpsApplication, gitOpsApplications } from './gitOpsApplications';
import { ImageFaults } from '../prometheus/ImageFaults';
import { setImmediate as nextTurn } from 'node:timers/promises';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');
const APPLICATIONS = resourceTypeOfKind('Application');
const ROLLOUTS = resourceTypeOfKind('Rollout');
/** Argo CD's annotation tracking: which Application owns an object it applied. */
const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
const ARGOCD_NAMESPACE = 'argocd';
/** How long a revision that did not render waits before it is rendered again. */
const RETRY_RENDER_MS = 10_000;

export interface ArgoSyncOptions {
  repository: GitRepository;
  fleet: Fleet;
  /** How often the loop runs (ms). */
  intervalMs?: number;
  /** How long pending GPU pods wait before the simulated autoscaler adds a node (ms). */
  autoscaleDelayMs?: number;
  /** How much faster than real time canary pauses pass (60: a 10-minute pause takes 10 s). */
  clockFactor?: number;
  /** The Helm binary (default: `HELM_BIN`, or `helm` on PATH). */
  helm?: string;
  /** The images whose pods report CUDA faults, which canary analyses measure. */
  imageFaults?: ImageFaults;
  now?: () => number;
}

/** What one Application last rendered, and why its newest revision did not render, if so. */
interface ApplicationState {
  app: GitOpsApplication;
  /** The objects of the last revision that rendered (kept while a newer one fails). */
  objects: KubeObject[];
  /** That revision; empty when no revision rendered yet. */
  revision: string;
  error?: { message: string; since: string };
}

/**
 * An Argo CD-like loop over the GitOps repository's `main`: each Application (a cluster
 * folder's `argo-app.yaml`, and one per model values file) is rendered with the real
 * `helm template` at the new revision, and its objects are applied to its cluster with
 * annotation tracking; objects no longer rendered are pruned. A revision that does not render
 * leaves the Application's last good objects running and a `ComparisonError` in its status.
 * The Rollouts it applies are run by the Rollout controller, the pods by the simulated
 * scheduler and cluster autoscaler.
 */
export class ArgoSync {
  readonly #options: Required<
    Omit<ArgoSyncOptions, 'repository' | 'fleet' | 'helm' | 'imageFaults'>
  > &
    ArgoSyncOptions;
  readonly #scheduling: ClusterScheduling;
  readonly #rollouts: RolloutController;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #syncedRevision = '';
  #states = new Map<string, ApplicationState>();
  #renderedAt = 0;
  /** Why the last revision did not fully render (per Application), for the admin API. */
  errors: string[] = [];

  static create(options: ArgoSyncOptions): ArgoSync {
    return new ArgoSync(options);
  }

  private constructor(options: ArgoSyncOptions) {
    const defined = Object.fromEntries(
      Object.entries(options).filter(([, v]) => v !== undefined),
    );
    this.#options = {
      intervalMs: 1000,
      autoscaleDelayMs: 5000,
      clockFactor: 60,
      now: Date.now,
      ...defined,
    } as ArgoSyncOptions &
      Required<
        Omit<ArgoSyncOptions, 'repository' | 'fleet' | 'helm' | 'imageFaults'>
      >;
    this.#scheduling = ClusterScheduling.create({
      autoscaleDelayMs: this.#options.autoscaleDelayMs,
    });
    this.#rollouts = RolloutController.create({
      scheduling: this.#scheduling,
      clockFactor: this.#options.clockFactor,
      faults: options.imageFaults ?? ImageFaults.create(),
    });
  }

  start() {
    this.#timer = setInterval(() => {
      this.tick().catch(error =>
        console.warn(
          `[sandbox] Argo CD pass failed: ${error?.message ?? error}`,
        ),
      );
    }, this.#options.intervalMs);
    this.#timer.unref?.();
  }

  async stop() {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** The revision of main the loop last rendered. */
  get revision() {
    return this.#syncedRevision;
  }

  /** One pass of the loop (tests call it directly). Passes never overlap. */
  async tick(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#tick().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Waits for a pass in progress, then runs one that sees every change made before the call. */
  async settle(): Promise<void> {
    await this.#running;
    await this.tick();
  }

  async #tick() {
    const { repository, fleet } = this.#options;
    const main = await repository.resolveRef('refs/heads/main');
    const now = this.#options.now();
    // A new revision renders; a revision that did not render is tried again now and then, as
    // Argo CD re-compares on its refresh (a missing helm or a timeout may pass).
    if (
      main &&
      (main !== this.#syncedRevision ||
        (this.errors.length > 0 && now - this.#renderedAt >= RETRY_RENDER_MS))
    ) {
      await this.#render(main);
      this.#syncedRevision = main;
      this.#renderedAt = now;
    }
    for (const cluster of fleet.clusters.values()) {
      const states = [...this.#states.values()].filter(
        s => s.app.cluster === cluster.name,
      );
      this.#reconcile(cluster, states, now);
      // A cluster of 150,000 pods takes tens of milliseconds: let requests in between clusters.
      await nextTurn();
    }
  }

  /** Renders every Application of a revision; failures keep the last good objects. */
  async #render(commit: string) {
    const { repository, fleet } = this.#options;
    const tree = await repository.files(commit);
    const contents = new Map<string, Buffer>();
    for (const [path, file] of tree)
      contents.set(
        path,
        (await repository.readBlob(file.sha)) ?? Buffer.from(''),
      );
    const { applications, errors } = gitOpsApplications(
      [...contents.keys()],
      p => contents.get(p)?.toString('utf8') ?? '',
      name => fleet.clusters.get(name)?.spec.cloud,
    );
    const checkout = await HelmTemplate.checkout(contents, {
      helm: this.#options.helm,
    });
    const states = new Map<string, ApplicationState>();
    const since = (previous: ApplicationState | undefined, message: string) =>
      previous?.error?.message === message
        ? previous.error.since
        : new Date(this.#options.now()).toISOString();
    // A cluster folder whose Application cannot be read keeps what it ran, with the error.
    for (const { folder, message } of errors) {
      for (const [key, previous] of this.#states) {
        if (previous.app.folder === folder)
          states.set(key, {
            ...previous,
            error: { message, since: since(previous, message) },
          });
      }
    }
    const messages = errors.map(e => e.message);
    try {
      for (const app of applications) {
        const key = `${app.cluster}/${app.name}`;
        const previous = this.#states.get(key);
        try {
          const objects = (await checkout.render(app.source)).map(o =>
            this.#tracked(app, o),
          );
          states.set(key, { app, objects, revision: commit });
        } catch (error) {
          const message = (error as Error).message;
          messages.push(`${app.name} (${app.cluster}): ${message}`);
          states.set(key, {
            app,
            objects: previous?.objects ?? [],
            revision: previous?.revision ?? '',
            error: { message, since: since(previous, message) },
          });
        }
      }
    } finally {
      await checkout.dispose();
    }
    this.#states = states;
    this.errors = messages;
  }

  /** An object as Argo CD applies it: in the Application's namespace, with its tracking id. */
  #tracked(app: GitOpsApplication, object: KubeObject): KubeObject {
    const type = resourceTypeOf(object);
    const namespace = type.namespaced
      ? object.metadata?.namespace ?? app.source.namespace
      : undefined;
    const { namespace: _ignored, ...metadata } = object.metadata ?? {};
    return {
      ...object,
      metadata: {
        ...metadata,
        ...(namespace ? { namespace } : {}),
        annotations: {
          ...(object.metadata?.annotations ?? {}),
          [TRACKING_ID]: `${app.name}:${type.group}/${object.kind}:${
            namespace ?? ''
          }/${object.metadata.name}`,
        },
      } as KubeObject['metadata'],
    };
  }

  #reconcile(
    cluster: SimulatedCluster,
    states: ApplicationState[],
    now: number,
  ) {
    const store = cluster.store;
    const scheduler = GpuScheduler.create(store.all(NODES), store.all(PODS));
    this.#prune(cluster, scheduler, states);
    for (const state of states) {
      let health: string = 'Healthy';
      for (const object of state.objects) {
        if (object.kind === 'Rollout') {
          const phase = this.#rollouts.reconcile(
            cluster,
            scheduler,
            object,
            now,
          );
          // Argo CD's health of a Rollout: a paused one is Suspended.
          if (phase !== 'Healthy')
            health = phase === 'Paused' ? 'Suspended' : phase;
        } else {
          store.apply(object);
        }
      }
      this.#applyApplication(cluster, state, health, now);
    }
    this.#scheduling.reconcilePlaceholders(cluster, scheduler);
    this.#scheduling.bindPending(cluster, scheduler, now);
  }

  /** Deletes what Argo CD applied and no Application renders any more, Rollouts' pods included. */
  #prune(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    states: ApplicationState[],
  ) {
    const store = cluster.store;
    const wanted = new Set(
      states.flatMap(s =>
        s.objects.map(o => o.metadata.annotations?.[TRACKING_ID]),
      ),
    );
    const apps = new Set(states.map(s => s.app.name));
    for (const type of RESOURCE_TYPES) {
      if (type === PODS || type === NODES) continue;
      for (const object of store.all(type)) {
        if (type === APPLICATIONS) {
          if (
            object.metadata.labels?.[CLUSTER_LABEL] &&
            !apps.has(object.metadata.name)
          )
            store.delete(APPLICATIONS, ARGOCD_NAMESPACE, object.metadata.name);
          continue;
        }
        const id = object.metadata.annotations?.[TRACKING_ID];
        if (!id || wanted.has(id)) continue;
        if (type === ROLLOUTS) {
          for (const p of podsOwnedBy(cluster, object))
            this.#scheduling.deletePod(cluster, scheduler, p);
          this.#rollouts.forget(
            cluster,
            object.metadata.namespace!,
            object.metadata.name,
          );
        }
        store.delete(type, object.metadata.namespace, object.metadata.name);
      }
    }
  }

  /**
   * Argo CD's `status.summary.images`: the images of the live pods of the Application's resource
   * tree (Argo CD takes them from the Pod nodes only), sorted, each once. The pods are the ones
   * its Rollouts own: during an update the stable and the canary's images, after an abort the
   * stable's alone.
   */
  #images(cluster: SimulatedCluster, state: ApplicationState): string[] {
    const images = new Set<string>();
    for (const object of state.objects) {
      if (object.kind !== 'Rollout') continue;
      for (const pod of podsOwnedBy(cluster, object)) {
        const spec = pod.spec as {
          initContainers?: Array<{ image?: string }>;
          containers?: Array<{ image?: string }>;
        };
        for (const c of [
          ...(spec.initContainers ?? []),
          ...(spec.containers ?? []),
        ])
          if (c.image) images.add(c.image);
      }
    }
    return [...images].sort();
  }

  /** The Application object, with Argo CD's sync and health status and its images. */
  #applyApplication(
    cluster: SimulatedCluster,
    state: ApplicationState,
    health: string,
    now: number,
  ) {
    const { app, revision, error } = state;
    const store = cluster.store;
    const existing = store.get(APPLICATIONS, ARGOCD_NAMESPACE, app.name);
    const previous = existing?.status as Record<string, any> | undefined;
    const syncStatus = error ? 'Unknown' : 'Synced';
    const images = this.#images(cluster, state);
    const conditions = error
      ? [
          {
            type: 'ComparisonError',
            message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${error.message}`,
            lastTransitionTime: error.since,
          },
        ]
      : undefined;
    // Keep reconciledAt stable unless something changed, so unchanged apps emit no events; pods
    // that come and go change the images, not the reconciliation.
    const reconciled =
      previous &&
      previous.sync?.revision === revision &&
      previous.sync?.status === syncStatus &&
      previous.health?.status === health &&
      JSON.stringify(previous.conditions) === JSON.stringify(conditions);
    if (
      reconciled &&
      JSON.stringify(previous.summary?.images ?? []) === JSON.stringify(images)
    )
      return;
    const at = reconciled ? previous.reconciledAt : new Date(now).toISOString();
    store.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: app.name,
        namespace: ARGOCD_NAMESPACE,
        labels: {
          [CLUSTER_LABEL]: cluster.name,
          ...(app.model ? { [MODEL_LABEL]: app.model } : {}),
        },
      },
      spec: {
        project: 'omnivision',
        source: {
          repoURL: 'https://github.com/omnivision-ai/omnivision-gitops.git',
          targetRevision: 'main',
          path: app.source.chartPath,
          helm: {
            releaseName: app.source.releaseName,
            valueFiles: app.source.valueFiles,
            parameters: app.source.parameters,
          },
        },
        destination: { name: cluster.name, namespace: app.source.namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
      status: {
        sync: { status: syncStatus, revision },
        health: { status: health },
        ...(conditions ? { conditions } : {}),
        summary: images.length > 0 ? { images } : {},
        // A comparison that fails runs no sync: the last operation stands.
        operationState:
          error || reconciled
            ? previous?.operationState
            : { phase: 'Succeeded', syncResult: { revision }, finishedAt: at },
        reconciledAt: at,
      },
    });
  }
}
