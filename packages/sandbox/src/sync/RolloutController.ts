import { createHash } from 'node:crypto';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { pod as podSkeleton } from '../kubernetes/objects/pods';
import type { GpuScheduler } from './GpuScheduler';
import { ClusterScheduling, bindPod } from './ClusterScheduling';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');
const PRIORITY_CLASSES = resourceTypeOfKind('PriorityClass');

/** A canary step of an Argo Rollout. */
export type CanaryStep =
  | { setWeight: number }
  | { pause?: { duration?: string } };

interface RolloutProgress {
  podHash: string;
  stepIndex: number;
  stepStartedAt: number;
}

/**
 * A pause's duration in milliseconds, as Argo Rollouts reads it: a whole number of seconds
 * (`30`), or a Go duration (`10m`, `1h30m`, `90s`, `1.5h`); absent means an indefinite pause. An
 * unreadable duration also pauses indefinitely (Argo Rollouts would refuse the Rollout).
 */
export function durationMs(duration: string | number | undefined): number {
  if (duration === undefined || duration === '') return Infinity;
  const text = String(duration);
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const unit: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== text)
    return Infinity;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** The pods a Rollout owns. */
export function podsOwnedBy(cluster: SimulatedCluster, rollout: KubeObject) {
  return cluster.store
    .all(PODS)
    .filter(
      p =>
        p.metadata.namespace === rollout.metadata.namespace &&
        p.metadata.ownerReferences?.some(
          o => o.kind === 'Rollout' && o.name === rollout.metadata.name,
        ),
    );
}

/**
 * The Argo Rollouts controller of the simulated clusters, for the Rollouts that Argo CD applies:
 * pods from the Rollout's pod template (replaced when the template changes), canary steps
 * (setWeight, timed pauses) on a compressed clock once every replica runs, and the Rollout's
 * status as Argo Rollouts reports it.
 */
export class RolloutController {
  readonly #progress = new Map<string, RolloutProgress>();

  static create(options: {
    scheduling: ClusterScheduling;
    clockFactor: number;
  }): RolloutController {
    return new RolloutController(options.scheduling, options.clockFactor);
  }

  private constructor(
    readonly scheduling: ClusterScheduling,
    readonly clockFactor: number,
  ) {}

  /** Brings a Rollout's pods and status one pass closer to its spec; returns its phase. */
  reconcile(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    rollout: KubeObject,
    now: number,
  ): 'Healthy' | 'Progressing' {
    const spec = rollout.spec as Record<string, any>;
    const name = rollout.metadata.name;
    const namespace = rollout.metadata.namespace!;
    const replicas: number = spec.replicas ?? 1;
    const steps: CanaryStep[] = spec.strategy?.canary?.steps ?? [];
    const podHash = createHash('sha256')
      .update(JSON.stringify(spec.template))
      .digest('hex')
      .slice(0, 10);

    // A new template replaces the pods (and restarts the canary); extra replicas go.
    const pods = podsOwnedBy(cluster, rollout);
    const current = pods.filter(
      p => p.metadata.labels?.['rollouts-pod-template-hash'] === podHash,
    );
    for (const p of pods)
      if (!current.includes(p))
        this.scheduling.deletePod(cluster, scheduler, p);
    for (const p of current.slice(replicas))
      this.scheduling.deletePod(cluster, scheduler, p);
    const kept = current.slice(0, replicas);
    for (let i = kept.length; i < replicas; i++) {
      const created = this.#podFor(cluster, rollout, podHash, `${now}${i}`);
      const request = this.scheduling.requestOf(cluster, created);
      // A pod without GPUs goes to any node; GPU pods wait for room (or preempt placeholders).
      const nodeName = request
        ? scheduler.place(request) ??
          this.scheduling.preemptFor(cluster, scheduler, request)
        : cluster.store.all(NODES)[0]?.metadata.name;
      if (nodeName) bindPod(created, nodeName);
      kept.push(cluster.store.create(created));
    }
    const ready = kept.filter(
      p => (p.status as { phase?: string })?.phase === 'Running',
    ).length;

    // Canary progress on the compressed clock.
    const key = `${cluster.name}/${namespace}/${name}`;
    let progress = this.#progress.get(key);
    if (!progress || progress.podHash !== podHash) {
      progress = { podHash, stepIndex: 0, stepStartedAt: now };
      this.#progress.set(key, progress);
    }
    let weight = 0;
    for (const step of steps.slice(0, progress.stepIndex))
      if ('setWeight' in step) weight = step.setWeight;
    while (progress.stepIndex < steps.length && ready === replicas) {
      const step = steps[progress.stepIndex];
      if ('setWeight' in step) {
        weight = step.setWeight;
      } else if (
        now - progress.stepStartedAt <
        durationMs(step.pause?.duration) / this.clockFactor
      ) {
        break;
      }
      progress.stepIndex += 1;
      progress.stepStartedAt = now;
    }
    const done = progress.stepIndex >= steps.length && ready === replicas;
    if (done) weight = 100;
    const phase = done ? 'Healthy' : 'Progressing';

    cluster.store.apply({
      ...rollout,
      status: {
        phase,
        message: rolloutMessage(
          done,
          ready < replicas,
          progress.stepIndex,
          steps.length,
        ),
        currentPodHash: podHash,
        stableRS: done ? podHash : undefined,
        currentStepIndex: progress.stepIndex,
        replicas,
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
    return phase;
  }

  /** Forgets the canary progress of Rollouts that are gone. */
  forget(cluster: SimulatedCluster, namespace: string, name: string) {
    this.#progress.delete(`${cluster.name}/${namespace}/${name}`);
  }

  /** A new pod of the Rollout's template, pending until the scheduler binds it. */
  #podFor(
    cluster: SimulatedCluster,
    rollout: KubeObject,
    podHash: string,
    seed: string,
  ): KubeObject {
    const template = (rollout.spec as Record<string, any>).template ?? {};
    const podSpec = structuredClone(template.spec ?? {});
    const name = `${rollout.metadata.name}-${podHash}-${createHash('md5')
      .update(`${rollout.metadata.name}${seed}`)
      .digest('hex')
      .slice(0, 5)}`;
    const skeleton = podSkeleton({
      name,
      namespace: rollout.metadata.namespace!,
      labels: {},
      image: podSpec.containers?.[0]?.image ?? '',
      owner: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        name: rollout.metadata.name,
      },
    });
    // The admission chain resolves the priority class to its value, as the API server does.
    const priorityClass = podSpec.priorityClassName
      ? cluster.store.get(
          PRIORITY_CLASSES,
          undefined,
          podSpec.priorityClassName,
        )
      : undefined;
    return {
      ...skeleton,
      metadata: {
        ...skeleton.metadata,
        creationTimestamp: new Date().toISOString(),
        labels: {
          ...(template.metadata?.labels ?? {}),
          'rollouts-pod-template-hash': podHash,
        },
      },
      spec: {
        ...podSpec,
        serviceAccountName: podSpec.serviceAccountName ?? 'default',
        schedulerName: 'default-scheduler',
        restartPolicy: 'Always',
        priority: Number((priorityClass as { value?: number })?.value ?? 0),
      },
    };
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
