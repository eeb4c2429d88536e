import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { GitRepository } from '../github/GitRepository';
import type { Fleet } from '../kubernetes/Fleet';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { GPU_NODE_SHAPES, PLACEMENT_LABEL } from '../kubernetes/gpuCatalog';
import {
  MODELS_NAMESPACE,
  WARM_POOL_NAMESPACE,
  argoApplication,
  gpuNode,
  pod,
} from '../kubernetes/fleetObjects';
import { placeholderPod } from '../kubernetes/seedCluster';
import { GpuScheduler, gpuRequestOf } from './GpuScheduler';
import { ModelDeployment, durationMs, readModelValues } from './modelValues';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');
const DEPLOYMENTS = resourceTypeOfKind('Deployment');
const APPLICATIONS = resourceTypeOfKind('Application');
const ROLLOUTS = resourceTypeOfKind('Rollout');
const MODEL_LABEL = 'omnivision.ai/model';

export interface ArgoSyncOptions {
  repository: GitRepository;
  fleet: Fleet;
  /** How often the loop runs (ms). */
  intervalMs?: number;
  /** How long pending GPU pods wait before the simulated autoscaler adds a node (ms). */
  autoscaleDelayMs?: number;
  /** How much faster than real time canary pauses pass (60: a 10-minute pause takes 10 s). */
  clockFactor?: number;
  now?: () => number;
}

interface RolloutProgress {
  podHash: string;
  stepIndex: number;
  stepStartedAt: number;
}

/**
 * An Argo CD-like loop: reads `main` of the GitOps repository and makes each cluster run the
 * models its folder lists (a folder's `argo-app.yaml` names its cluster): an Application and a
 * Rollout per model, pods requesting GPUs that preempt warm-pool placeholders when GPUs run
 * short, placeholders recreated (pending when no GPU is free), a node added by the simulated
 * cluster autoscaler when pods stay pending, and canary steps on a compressed clock.
 */
export class ArgoSync {
  readonly #options: Required<Omit<ArgoSyncOptions, 'repository' | 'fleet'>> &
    ArgoSyncOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #syncedRevision = '';
  #desired = new Map<string, ModelDeployment[]>();
  readonly #progress = new Map<string, RolloutProgress>();
  #placeholderSerial = 100_000;
  /** Problems of the last read of main (an unreadable values file), for the admin API. */
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
      Required<Omit<ArgoSyncOptions, 'repository' | 'fleet'>>;
  }

  start() {
    this.#timer = setInterval(() => {
      this.tick().catch(() => undefined);
    }, this.#options.intervalMs);
    this.#timer.unref?.();
  }

  async stop() {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

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

  async #tick() {
    const { repository, fleet } = this.#options;
    const main = await repository.resolveRef('refs/heads/main');
    if (main && main !== this.#syncedRevision) {
      this.#desired = await this.#readDesired(main);
      this.#syncedRevision = main;
    }
    for (const cluster of fleet.clusters.values()) {
      this.#reconcile(cluster, this.#desired.get(cluster.name) ?? []);
    }
  }

  async #readDesired(commit: string): Promise<Map<string, ModelDeployment[]>> {
    const { repository } = this.#options;
    const desired = new Map<string, ModelDeployment[]>();
    const errors: string[] = [];
    const files = await repository.files(commit);
    const folders = [...files.keys()].filter(p =>
      /^infrastructure\/[^/]+\/argo-app\.yaml$/.test(p),
    );
    for (const appFile of folders) {
      const folder = appFile.replace(/\/argo-app\.yaml$/, '');
      const text = (await repository.readBlob(
        files.get(appFile)!.sha,
      ))!.toString('utf8');
      const cluster = parse(text)?.spec?.destination?.name;
      if (typeof cluster !== 'string') continue;
      const models: ModelDeployment[] = [];
      for (const [path, file] of files) {
        if (!path.startsWith(`${folder}/models/`) || !/\.ya?ml$/.test(path))
          continue;
        try {
          models.push(
            readModelValues(
              path.split('/').pop()!,
              (await repository.readBlob(file.sha))!.toString('utf8'),
            ),
          );
        } catch (error) {
          errors.push(`${path}: ${(error as Error).message}`);
        }
      }
      desired.set(cluster, [...(desired.get(cluster) ?? []), ...models]);
    }
    this.errors = errors;
    return desired;
  }

  #reconcile(cluster: SimulatedCluster, models: ModelDeployment[]) {
    const store = cluster.store;
    const now = this.#options.now();
    const scheduler = GpuScheduler.create(store.all(NODES), store.all(PODS));
    const wanted = new Set(models.map(m => m.name));

    // Models that left main: their pods, Rollout and Application go.
    for (const p of store.all(PODS)) {
      const model = p.metadata.labels?.[MODEL_LABEL];
      if (model && !wanted.has(model)) this.#deletePod(cluster, scheduler, p);
    }
    for (const r of store.all(ROLLOUTS))
      if (!wanted.has(r.metadata.name))
        store.delete(ROLLOUTS, r.metadata.namespace, r.metadata.name);
    for (const a of store.all(APPLICATIONS)) {
      const model = a.metadata.labels?.[MODEL_LABEL];
      if (model && !wanted.has(model))
        store.delete(APPLICATIONS, 'argocd', a.metadata.name);
    }

    for (const model of models)
      this.#reconcileModel(cluster, scheduler, model, now);
    this.#reconcilePlaceholders(cluster, scheduler);
    this.#bindPending(cluster, scheduler, now);
  }

  #reconcileModel(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    model: ModelDeployment,
    now: number,
  ) {
    const store = cluster.store;
    const podHash = createHash('sha256')
      .update(
        JSON.stringify([
          model.image,
          model.gpuResource,
          model.gpusPerReplica,
          model.placement,
        ]),
      )
      .digest('hex')
      .slice(0, 10);
    const labels = {
      app: model.name,
      [MODEL_LABEL]: model.name,
      'hipaa-compliant': 'true',
      ...model.labels,
      'rollouts-pod-template-hash': podHash,
    };
    const pods = store
      .all(PODS)
      .filter(p => p.metadata.labels?.[MODEL_LABEL] === model.name);

    // A new template replaces the pods (and restarts the canary); extra replicas go.
    const current = pods.filter(
      p => p.metadata.labels?.['rollouts-pod-template-hash'] === podHash,
    );
    for (const p of pods)
      if (!current.includes(p)) this.#deletePod(cluster, scheduler, p);
    for (const p of current.slice(model.replicas))
      this.#deletePod(cluster, scheduler, p);
    const kept = current.slice(0, model.replicas);
    const request = {
      resource: model.gpuResource,
      count: model.gpusPerReplica,
      placement: model.placement,
    };
    for (let i = kept.length; i < model.replicas; i++) {
      const nodeName =
        scheduler.place(request) ??
        this.#preemptFor(cluster, scheduler, request);
      kept.push(
        store.create(
          pod({
            name: `${model.name}-${podHash}-${createHash('md5')
              .update(`${model.name}${now}${i}`)
              .digest('hex')
              .slice(0, 5)}`,
            namespace: MODELS_NAMESPACE,
            labels,
            image: model.image,
            gpus: model.gpusPerReplica,
            gpuResource: model.gpuResource,
            nodeName,
            priorityClassName: model.priorityClassName,
            priority: 1000,
            serviceAccountName: 'model-runner',
            nodeSelector: model.placement
              ? { [model.placement.label]: model.placement.values[0] }
              : undefined,
            owner: {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Rollout',
              name: model.name,
            },
          }),
        ),
      );
    }
    const ready = kept.filter(
      p => (p.status as { phase?: string })?.phase === 'Running',
    ).length;

    // Canary progress on the compressed clock.
    const key = `${cluster.name}/${model.name}`;
    let progress = this.#progress.get(key);
    if (!progress || progress.podHash !== podHash) {
      progress = { podHash, stepIndex: 0, stepStartedAt: now };
      this.#progress.set(key, progress);
    }
    let weight = 0;
    for (const step of model.steps.slice(0, progress.stepIndex))
      if ('setWeight' in step) weight = step.setWeight;
    while (
      progress.stepIndex < model.steps.length &&
      ready === model.replicas
    ) {
      const step = model.steps[progress.stepIndex];
      if ('setWeight' in step) {
        weight = step.setWeight;
      } else if (
        now - progress.stepStartedAt <
        durationMs(step.pause?.duration) / this.#options.clockFactor
      ) {
        break;
      }
      progress.stepIndex += 1;
      progress.stepStartedAt = now;
    }
    const done =
      progress.stepIndex >= model.steps.length && ready === model.replicas;
    if (done) weight = 100;
    const phase = done ? 'Healthy' : 'Progressing';

    store.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: {
        name: model.name,
        namespace: MODELS_NAMESPACE,
        labels: { app: model.name, [MODEL_LABEL]: model.name },
      },
      spec: {
        replicas: model.replicas,
        selector: { matchLabels: { app: model.name } },
        template: {
          metadata: {
            labels: {
              app: model.name,
              [MODEL_LABEL]: model.name,
              'hipaa-compliant': 'true',
            },
          },
          spec: {
            priorityClassName: model.priorityClassName,
            containers: [
              {
                name: 'main',
                image: model.image,
                resources: {
                  limits: { [model.gpuResource]: String(model.gpusPerReplica) },
                },
              },
            ],
          },
        },
        strategy: { canary: { steps: model.steps } },
      },
      status: {
        phase,
        message: rolloutMessage(
          done,
          ready < model.replicas,
          progress.stepIndex,
          model.steps.length,
        ),
        currentPodHash: podHash,
        stableRS: done ? podHash : undefined,
        currentStepIndex: progress.stepIndex,
        replicas: model.replicas,
        updatedReplicas: kept.length,
        readyReplicas: ready,
        availableReplicas: ready,
        canary: {
          weights: {
            canary: { weight, podTemplateHash: podHash },
            stable: { weight: 100 - weight },
          },
        },
      },
    });

    const app = argoApplication(
      cluster.spec,
      `model-${model.name}-${cluster.spec.cloud}`,
      `infrastructure/cluster-${cluster.spec.cloud}/models`,
      this.#syncedRevision,
      phase,
      'Synced',
    );
    app.metadata.labels = { ...app.metadata.labels, [MODEL_LABEL]: model.name };
    const status = app.status as Record<string, unknown>;
    const existing = store.get(APPLICATIONS, 'argocd', app.metadata.name);
    // Keep reconciledAt/finishedAt stable unless something changed, so unchanged apps emit no events.
    const previous = existing?.status as Record<string, any> | undefined;
    if (
      previous &&
      previous.sync?.revision === this.#syncedRevision &&
      previous.health?.status === phase
    )
      return;
    status.reconciledAt = new Date(now).toISOString();
    store.apply(app);
  }

  /** Frees GPUs for a request by deleting placeholder pods on one node, as preemption does. */
  #preemptFor(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    request: {
      resource: string;
      count: number;
      placement?: { label: string; values: string[] };
    },
  ) {
    const placeholders = cluster.store
      .all(PODS)
      .filter(
        p =>
          (p.spec as { priority?: number })?.priority! < 0 &&
          (p.spec as { nodeName?: string })?.nodeName,
      );
    for (const node of scheduler.candidates(request)) {
      const onNode = placeholders.filter(
        p =>
          (p.spec as { nodeName?: string }).nodeName === node.metadata.name &&
          gpuRequestOf(p)?.resource === request.resource,
      );
      const freed = onNode.reduce(
        (sum, p) => sum + (gpuRequestOf(p)?.count ?? 0),
        0,
      );
      if (
        scheduler.freeOn(node.metadata.name, request.resource) + freed <
        request.count
      )
        continue;
      for (const victim of onNode) {
        if (
          scheduler.freeOn(node.metadata.name, request.resource) >=
          request.count
        )
          break;
        this.#deletePod(cluster, scheduler, victim);
      }
      scheduler.reserve(node.metadata.name, request.resource, request.count);
      return node.metadata.name;
    }
    return undefined;
  }

  #deletePod(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    p: KubeObject,
  ) {
    const nodeName = (p.spec as { nodeName?: string })?.nodeName;
    const request = gpuRequestOf(p);
    if (nodeName && request)
      scheduler.release(nodeName, request.resource, request.count);
    cluster.store.delete(PODS, p.metadata.namespace, p.metadata.name);
  }

  /** The placeholder Deployment keeps its replica count: preempted placeholders come back. */
  #reconcilePlaceholders(cluster: SimulatedCluster, scheduler: GpuScheduler) {
    const deployment = cluster.store.get(
      DEPLOYMENTS,
      WARM_POOL_NAMESPACE,
      'gpu-placeholder',
    );
    if (!deployment) return;
    const replicas = (deployment.spec as { replicas: number }).replicas;
    const existing = cluster.store
      .all(PODS)
      .filter(
        p =>
          p.metadata.namespace === WARM_POOL_NAMESPACE &&
          p.metadata.labels?.app === 'gpu-placeholder',
      );
    const names = new Set(existing.map(p => p.metadata.name));
    for (let missing = replicas - existing.length; missing > 0; missing--) {
      // New pods get new names, as a ReplicaSet's do.
      let serial = this.#placeholderSerial++;
      while (names.has(placeholderPod(serial, undefined).metadata.name))
        serial = this.#placeholderSerial++;
      const nodeName = scheduler.place({
        resource: 'nvidia.com/gpu',
        count: 1,
      });
      const created = cluster.store.create(placeholderPod(serial, nodeName));
      names.add(created.metadata.name);
    }
    const running = existing.filter(
      p => (p.status as { phase?: string })?.phase === 'Running',
    ).length;
    cluster.store.update(
      DEPLOYMENTS,
      WARM_POOL_NAMESPACE,
      'gpu-placeholder',
      d => {
        d.status = {
          ...(d.status as object),
          replicas,
          readyReplicas: running,
          availableReplicas: running,
          unavailableReplicas: Math.max(0, replicas - running),
        };
      },
    );
  }

  /** Binds pending GPU pods where room appeared; adds a node when they have waited too long. */
  #bindPending(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    now: number,
  ) {
    const pending = cluster.store
      .all(PODS)
      .filter(
        p => !(p.spec as { nodeName?: string })?.nodeName && gpuRequestOf(p),
      );
    let scaled = false;
    for (const p of pending) {
      const request = {
        ...gpuRequestOf(p)!,
        placement: placementOf(cluster, p),
      };
      const nodeName = scheduler.place(request);
      if (nodeName) {
        const bound = pod({
          name: p.metadata.name,
          namespace: p.metadata.namespace!,
          labels: p.metadata.labels ?? {},
          image: 'x',
          nodeName,
        });
        cluster.store.update(
          PODS,
          p.metadata.namespace,
          p.metadata.name,
          copy => {
            (copy.spec as Record<string, unknown>).nodeName = nodeName;
            const image = (
              copy.spec as { containers: Array<{ image: string }> }
            ).containers[0].image;
            copy.status = {
              ...(bound.status as object),
              containerStatuses: [
                {
                  ...(bound.status as any).containerStatuses[0],
                  image,
                  imageID: image,
                },
              ],
            };
          },
        );
        continue;
      }
      const since =
        Date.parse(
          ((p.status as any)?.conditions ?? []).find(
            (c: any) => c.type === 'PodScheduled',
          )?.lastTransitionTime ?? '',
        ) || now;
      if (!scaled && now - since >= this.#options.autoscaleDelayMs) {
        this.#addNode(cluster, scheduler, request);
        scaled = true;
      }
    }
  }

  /** The simulated cluster autoscaler: one more node of the kind the pending pod needs. */
  #addNode(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    request: {
      resource: string;
      placement?: { label: string; values: string[] };
    },
  ) {
    const shapes = GPU_NODE_SHAPES[cluster.spec.cloud];
    const shape =
      shapes.find(
        s =>
          (request.resource === 'nvidia.com/gpu'
            ? !s.mig
            : `nvidia.com/mig-${s.mig?.profile}` === request.resource) &&
          (!request.placement ||
            request.placement.values.includes(s.placement)),
      ) ?? shapes.find(s => !s.mig)!;
    const index = cluster.store.all(NODES).length + 1000;
    const node = gpuNode(cluster.spec, shape, index);
    node.metadata.labels = {
      ...node.metadata.labels,
      'omnivision.ai/added-by': 'cluster-autoscaler',
    };
    cluster.store.create(node);
    scheduler.addNode(node);
  }
}

function rolloutMessage(
  done: boolean,
  waitingForPods: boolean,
  step: number,
  steps: number,
) {
  if (done) return undefined;
  if (waitingForPods) return 'waiting for pods to be scheduled';
  return `canary step ${step}/${steps}`;
}

function placementOf(cluster: SimulatedCluster, p: KubeObject) {
  const selector =
    (p.spec as { nodeSelector?: Record<string, string> })?.nodeSelector ?? {};
  const label = PLACEMENT_LABEL[cluster.spec.cloud];
  return selector[label] ? { label, values: [selector[label]] } : undefined;
}
