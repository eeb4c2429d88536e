import type { AnalysisOutcome } from './analysisMetrics';

/** A Rollout's phase, as Argo Rollouts reports it. */
export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

/** Where the Rollout controller has a Rollout's current revision. */
export interface RolloutProgress {
  podHash: string;
  /** The pod template of podHash (the stable one once the canary completed). */
  template: unknown;
  revision: number;
  stepIndex: number;
  stepStartedAt: number;
  done: boolean;
  /** The version that keeps serving during an update: its hash and pod template. */
  stable?: { podHash: string; template: unknown };
  /** Why the update was aborted, and when. */
  abort?: { message: string; at: number };
  analysis?: AnalysisOutcome;
}

/**
 * A Rollout's status as Argo Rollouts reports it: phase and message, the pod hashes (current and
 * stable), step index, replica counts, canary weights and the background analysis's status;
 * when the update was aborted, `abort`, `abortedAt` and a `Progressing` condition that says why.
 */
export function rolloutStatus(options: {
  progress: RolloutProgress;
  phase: RolloutPhase;
  done: boolean;
  inconclusive: boolean;
  /** `spec.paused`: held at its step by a person. */
  paused?: boolean;
  stableHash?: string;
  replicas: number;
  updated: number;
  ready: number;
  weight: number;
  steps: number;
}): Record<string, unknown> {
  const {
    progress,
    phase,
    done,
    inconclusive,
    paused,
    stableHash,
    replicas,
    updated,
    ready,
    weight,
    steps,
  } = options;
  const podHash = progress.podHash;
  return {
    ...(progress.abort
      ? {
          abort: true,
          abortedAt: new Date(progress.abort.at).toISOString(),
        }
      : {}),
    phase,
    message: progress.abort
      ? `RolloutAborted: ${progress.abort.message}`
      : rolloutMessage(
          done,
          ready < replicas,
          progress.stepIndex,
          steps,
          inconclusive ? progress.analysis?.message : undefined,
          paused ?? false,
        ),
    ...(progress.abort
      ? {
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'RolloutAborted',
              message: progress.abort.message,
              lastTransitionTime: new Date(progress.abort.at).toISOString(),
              lastUpdateTime: new Date(progress.abort.at).toISOString(),
            },
          ],
        }
      : {}),
    currentPodHash: podHash,
    stableRS: done ? podHash : stableHash,
    currentStepIndex: progress.stepIndex,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: ready,
    canary: {
      weights: {
        canary: { weight, podTemplateHash: podHash },
        stable: {
          weight: 100 - weight,
          ...(stableHash ? { podTemplateHash: stableHash } : {}),
        },
      },
      ...(progress.analysis
        ? {
            currentBackgroundAnalysisRunStatus: {
              name: progress.analysis.name,
              status: progress.analysis.phase,
              ...(progress.analysis.message
                ? { message: progress.analysis.message }
                : {}),
            },
          }
        : {}),
    },
  };
}

function rolloutMessage(
  done: boolean,
  waitingForPods: boolean,
  step: number,
  steps: number,
  pausedBy: string | undefined,
  manuallyPaused: boolean,
) {
  // Argo Rollouts' message for spec.paused, whatever else holds.
  if (manuallyPaused) return 'manually paused';
  if (done) return undefined;
  if (pausedBy) return `InconclusiveAnalysisRun: ${pausedBy}`;
  if (waitingForPods) return 'waiting for pods to be scheduled';
  return `canary step ${step}/${steps}`;
}
