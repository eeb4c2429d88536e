import { createHash } from 'node:crypto';
import { POD_TEMPLATE_HASH_LABEL } from '@internal/plugin-omnivision-common';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { pod as podSkeleton } from '../kubernetes/objects/pods';
import type { ImageFaults } from '../prometheus/ImageFaults';
import type { GpuScheduler } from './GpuScheduler';
import { ClusterScheduling, bindPod } from './ClusterScheduling';
import { CanaryAnalysis } from './CanaryAnalysis';
import { durationMs } from './durationMs';
import { RolloutPhase, RolloutProgress, rolloutStatus } from './rolloutStatus';

export { durationMs } from './durationMs';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');
const PRIORITY_CLASSES = resourceTypeOfKind('PriorityClass');
const ROLLOUTS = resourceTypeOfKind('Rollout');
const REVISION = 'rollout.argoproj.io/revision';

/** A canary step of an Argo Rollout. */
export type CanaryStep =
  | { setWeight: number }
  | { pause?: { duration?: string } };

export type { RolloutPhase } from './rolloutStatus';

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

const isRunning = (p: KubeObject) =>
  (p.status as { phase?: string })?.phase === 'Running';

/**
 * The Argo Rollouts controller of the simulated clusters, for the Rollouts that Argo CD applies:
 * pods from the Rollout's pod template, canary steps (setWeight, timed pauses) on a compressed
 * clock once every replica runs, and the Rollout's status as Argo Rollouts reports it. The first
 * revision replaces every pod at once; an update of a completed revision keeps the stable pods
 * and moves replicas to the canary as its weight grows, while the canary's background analysis
 * (CanaryAnalysis) runs: a failed analysis aborts the update (the canary's pods go, the stable
 * version serves every replica, the Rollout is Degraded) until the template changes again.
 *
 * What Argo Rollouts' kubectl plugin (and the portal) ask of the live Rollout is honoured as
 * Argo Rollouts does: `spec.paused` holds the canary at its step (phase `Paused`, "manually
 * paused") until it is false again; a `status.currentStepIndex` beyond the current step (promote)
 * moves on to it; `status.abort` aborts the update of the current revision (as a failed analysis
 * does). Argo CD keeps the live `spec.paused` when it applies the chart's Rollout again. A
 * template set back to the stable version's (the rollback of an aborted update) is promoted at
 * once, steps and analysis skipped, as Argo Rollouts does.
 */
export class RolloutController {
  readonly #progress = new Map<string, RolloutProgress>();
  readonly #analysis: CanaryAnalysis;

  static create(options: {
    scheduling: ClusterScheduling;
    clockFactor: number;
    faults: ImageFaults;
  }): RolloutController {
    return new RolloutController(
      options.scheduling,
      options.clockFactor,
      CanaryAnalysis.create({
        faults: options.faults,
        clockFactor: options.clockFactor,
      }),
    );
  }

  private constructor(
    readonly scheduling: ClusterScheduling,
    readonly clockFactor: number,
    analysis: CanaryAnalysis,
  ) {
    this.#analysis = analysis;
  }

  /** Brings a Rollout's pods and status one pass closer to its spec; returns its phase. */
  reconcile(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    rollout: KubeObject,
    now: number,
  ): RolloutPhase {
    const spec = rollout.spec as Record<string, any>;
    const name = rollout.metadata.name;
    const namespace = rollout.metadata.namespace!;
    const replicas: number = spec.replicas ?? 1;
    const steps: CanaryStep[] = spec.strategy?.canary?.steps ?? [];
    const podHash = createHash('sha256')
      .update(JSON.stringify(spec.template))
      .digest('hex')
      .slice(0, 10);
    const key = `${cluster.name}/${namespace}/${name}`;
    const pods = podsOwnedBy(cluster, rollout);
    // What clients asked of the live object: a pause (spec), a promotion or an abort (status).
    const live = cluster.store.get(ROLLOUTS, namespace, name);
    const paused = (live?.spec as { paused?: unknown })?.paused === true;
    const asked = (live?.status ?? {}) as {
      currentPodHash?: string;
      currentStepIndex?: unknown;
      abort?: unknown;
    };
    const hashOf = (p: KubeObject) =>
      p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];

    // A new template starts a new revision; a completed one becomes the stable version, which
    // serves until the new one completes (an update of an unfinished one keeps its stable).
    let progress = this.#progress.get(key);
    if (!progress || progress.podHash !== podHash) {
      const previous = progress;
      const stable = previous?.done
        ? { podHash: previous.podHash, template: previous.template }
        : previous?.stable;
      // Back to the stable version (a rollback after an abort): Argo Rollouts skips the steps
      // and the analysis and promotes it at once, as its pods already serve.
      const backToStable =
        stable?.podHash === podHash && pods.some(p => hashOf(p) === podHash);
      progress = {
        podHash,
        template: spec.template,
        revision: (previous?.revision ?? 0) + 1,
        stepIndex: backToStable ? steps.length : 0,
        stepStartedAt: now,
        done: false,
        stable:
          stable &&
          stable.podHash !== podHash &&
          pods.some(p => hashOf(p) === stable.podHash)
            ? stable
            : undefined,
      };
      this.#progress.set(key, progress);
    }
    // A promotion or an abort is about the revision the status described, and only while it runs.
    if (asked.currentPodHash === podHash && !progress.done) {
      const step = asked.currentStepIndex;
      if (
        typeof step === 'number' &&
        Number.isInteger(step) &&
        step > progress.stepIndex &&
        step <= steps.length &&
        !progress.abort
      ) {
        progress.stepIndex = step;
        progress.stepStartedAt = now;
      }
      if (asked.abort === true && !progress.abort) {
        progress.abort = {
          message: `Rollout aborted update to revision ${progress.revision}`,
          at: now,
        };
      }
    }
    const stable = progress.done ? undefined : progress.stable;

    let weight = 0;
    for (const step of steps.slice(0, progress.stepIndex))
      if ('setWeight' in step) weight = step.setWeight;
    const promoted = progress.stepIndex >= steps.length;
    const canaryCount = (w: number) =>
      !stable || promoted
        ? replicas
        : Math.min(replicas, Math.ceil((w * replicas) / 100));
    const wantedCanary = progress.abort ? 0 : canaryCount(weight);
    const wantedStable = stable ? replicas - wantedCanary : 0;

    // Pods of other revisions go, extra replicas go; then the missing ones are created.
    const canaryPods = pods.filter(p => hashOf(p) === podHash);
    const stablePods = stable
      ? pods.filter(p => hashOf(p) === stable.podHash)
      : [];
    for (const p of pods)
      if (!canaryPods.includes(p) && !stablePods.includes(p))
        this.scheduling.deletePod(cluster, scheduler, p);
    for (const p of canaryPods.slice(wantedCanary))
      this.scheduling.deletePod(cluster, scheduler, p);
    for (const p of stablePods.slice(wantedStable))
      this.scheduling.deletePod(cluster, scheduler, p);
    const kept = this.#fill(
      cluster,
      scheduler,
      rollout,
      podHash,
      spec.template,
      canaryPods.slice(0, wantedCanary),
      wantedCanary,
      now,
    );
    const keptStable = stable
      ? this.#fill(
          cluster,
          scheduler,
          rollout,
          stable.podHash,
          stable.template,
          stablePods.slice(0, wantedStable),
          wantedStable,
          now,
        )
      : [];
    const ready =
      kept.filter(isRunning).length + keptStable.filter(isRunning).length;

    // The canary's background analysis, while an update runs.
    if (stable && !progress.abort && CanaryAnalysis.declares(rollout)) {
      progress.analysis =
        this.#analysis.run(
          cluster,
          {
            rollout,
            podHash,
            stableHash: stable.podHash,
            revision: progress.revision,
          },
          now,
        ) ?? progress.analysis;
      const outcome = progress.analysis;
      if (outcome?.phase === 'Failed' || outcome?.phase === 'Error') {
        progress.abort = {
          message: `Rollout aborted update to revision ${progress.revision}: ${outcome.message}`,
          at: now,
        };
      }
    }
    const inconclusive = progress.analysis?.phase === 'Inconclusive';

    // Canary progress on the compressed clock.
    while (
      progress.stepIndex < steps.length &&
      ready === replicas &&
      !progress.abort &&
      !inconclusive &&
      !paused
    ) {
      const step = steps[progress.stepIndex];
      if ('setWeight' in step) {
        const moves = canaryCount(step.setWeight) !== wantedCanary;
        weight = step.setWeight;
        progress.stepIndex += 1;
        progress.stepStartedAt = now;
        // New canary replicas first run before the next step.
        if (moves) break;
        continue;
      } else if (
        now - progress.stepStartedAt <
        durationMs(step.pause?.duration) / this.clockFactor
      ) {
        break;
      }
      progress.stepIndex += 1;
      progress.stepStartedAt = now;
    }
    const done =
      !progress.abort &&
      progress.stepIndex >= steps.length &&
      ready === replicas &&
      kept.length === replicas;
    if (done && !progress.done) {
      progress.done = true;
      if (progress.analysis && stable)
        this.#analysis.terminate(cluster, namespace, progress.analysis.name);
    }
    if (done) weight = 100;
    if (progress.abort) weight = 0;
    let phase: RolloutPhase = 'Progressing';
    if (progress.abort) phase = 'Degraded';
    else if (paused) phase = 'Paused';
    else if (done) phase = 'Healthy';
    else if (inconclusive) phase = 'Paused';

    cluster.store.apply({
      ...rollout,
      // Argo CD leaves the live pause alone (Argo Rollouts' plugin sets it).
      spec: paused ? { ...spec, paused: true } : spec,
      metadata: {
        ...rollout.metadata,
        annotations: {
          ...(rollout.metadata.annotations ?? {}),
          [REVISION]: String(progress.revision),
        },
      },
      status: rolloutStatus({
        progress,
        phase,
        done,
        inconclusive,
        paused,
        stableHash: stable?.podHash,
        replicas,
        updated: kept.length,
        ready,
        weight,
        steps: steps.length,
      }),
    });
    return phase;
  }

  /** Forgets the canary progress and AnalysisRuns of Rollouts that are gone. */
  forget(cluster: SimulatedCluster, namespace: string, name: string) {
    this.#progress.delete(`${cluster.name}/${namespace}/${name}`);
    this.#analysis.forget(cluster, namespace, name);
  }

  /** Keeps `pods` and creates the missing replicas of a template, up to `count`. */
  #fill(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    rollout: KubeObject,
    podHash: string,
    template: unknown,
    pods: KubeObject[],
    count: number,
    now: number,
  ): KubeObject[] {
    const kept = [...pods];
    for (let i = kept.length; i < count; i++) {
      const created = this.#podFor(
        cluster,
        rollout,
        podHash,
        template,
        `${now}${i}`,
      );
      const request = this.scheduling.requestOf(cluster, created);
      // A pod without GPUs goes to any node; GPU pods wait for room (or preempt placeholders).
      const nodeName = request
        ? scheduler.place(request) ??
          this.scheduling.preemptFor(cluster, scheduler, request)
        : cluster.store.all(NODES)[0]?.metadata.name;
      if (nodeName) bindPod(created, nodeName);
      kept.push(cluster.store.create(created));
    }
    return kept;
  }

  /** A new pod of a pod template, pending until the scheduler binds it. */
  #podFor(
    cluster: SimulatedCluster,
    rollout: KubeObject,
    podHash: string,
    podTemplate: unknown,
    seed: string,
  ): KubeObject {
    const template = (podTemplate ?? {}) as Record<string, any>;
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
          [POD_TEMPLATE_HASH_LABEL]: podHash,
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
