import { POD_TEMPLATE_HASH_LABEL } from '@internal/plugin-omnivision-common';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { dcgmSeries } from '../prometheus/DcgmMetrics';
import type { ImageFaults } from '../prometheus/ImageFaults';
import {
  AnalysisOutcome,
  AnalysisPhase,
  MetricResult,
  assessMetric,
  takeMeasurement,
} from './analysisMetrics';
import { durationMs } from './durationMs';

export type { AnalysisOutcome } from './analysisMetrics';

const ANALYSIS_RUNS = resourceTypeOfKind('AnalysisRun');
const ANALYSIS_TEMPLATES = resourceTypeOfKind('AnalysisTemplate');
const REVISION = 'rollout.argoproj.io/revision';

/** The Rollout whose revision an analysis checks. */
export interface AnalysedRevision {
  rollout: KubeObject;
  podHash: string;
  stableHash: string;
  revision: number;
}

/**
 * The background analysis of Argo Rollouts' canary strategy (`spec.strategy.canary.analysis`):
 * one AnalysisRun per revision, from the Rollout's AnalysisTemplates and args, whose Prometheus
 * metrics are measured every `interval` (on the sandbox's compressed clock) against the
 * cluster's own Prometheus, and assessed as Argo Rollouts does: Failed once failed measurements
 * exceed `failureLimit`, Inconclusive past `inconclusiveLimit`, Error past
 * `consecutiveErrorLimit` (4), Successful once `count` measurements passed.
 */
export class CanaryAnalysis {
  static create(options: {
    faults: ImageFaults;
    clockFactor: number;
  }): CanaryAnalysis {
    return new CanaryAnalysis(options.faults, options.clockFactor);
  }

  private constructor(
    private readonly faults: ImageFaults,
    private readonly clockFactor: number,
  ) {}

  /** Whether a Rollout declares a background analysis. */
  static declares(rollout: KubeObject): boolean {
    const spec = rollout.spec as Record<string, any>;
    return (spec.strategy?.canary?.analysis?.templates ?? []).length > 0;
  }

  /** The name of a revision's background AnalysisRun, as Argo Rollouts names it. */
  static runName(target: Omit<AnalysedRevision, 'stableHash'>) {
    return `${target.rollout.metadata.name}-${target.podHash}-${target.revision}`;
  }

  /**
   * Creates the revision's AnalysisRun if needed, takes a measurement when one is due, and
   * returns the run's phase; undefined while its templates are not in the cluster yet.
   */
  run(
    cluster: SimulatedCluster,
    target: AnalysedRevision,
    now: number,
  ): AnalysisOutcome | undefined {
    const { rollout } = target;
    const namespace = rollout.metadata.namespace!;
    const name = CanaryAnalysis.runName(target);
    let run = cluster.store.get(ANALYSIS_RUNS, namespace, name);
    if (!run) {
      const created = this.#newRun(cluster, target, name, now);
      if (!created) return undefined;
      run = cluster.store.create(created);
    }
    const status = (run.status ?? {}) as Record<string, any>;
    if (['Successful', 'Failed', 'Error'].includes(status.phase))
      return { name, phase: status.phase, message: status.message };
    const spec = run.spec as Record<string, any>;
    const args = Object.fromEntries(
      (spec.args ?? []).map((a: { name: string; value?: string }) => [
        a.name,
        a.value ?? '',
      ]),
    );
    const previous: MetricResult[] = status.metricResults ?? [];
    const metrics: Array<Record<string, any>> = spec.metrics ?? [];
    const results: MetricResult[] = metrics.map(metric =>
      this.#measure(
        cluster,
        metric,
        args,
        previous.find(r => r.name === metric.name),
        now,
      ),
    );
    const order: AnalysisPhase[] = [
      'Failed',
      'Error',
      'Inconclusive',
      'Running',
      'Pending',
      'Successful',
    ];
    const worst =
      order.find(p => results.some(r => r.phase === p)) ?? 'Successful';
    const message = results.find(r => r.phase === worst)?.message;
    const summary = {
      count: results.length,
      successful: results.filter(r => r.phase === 'Successful').length,
      failed: results.filter(r => r.phase === 'Failed').length,
      inconclusive: results.filter(r => r.phase === 'Inconclusive').length,
      error: results.filter(r => r.phase === 'Error').length,
    };
    cluster.store.apply({
      ...run,
      status: {
        phase: worst,
        ...(message ? { message } : {}),
        startedAt: status.startedAt ?? new Date(now).toISOString(),
        metricResults: results,
        runSummary: summary,
      },
    });
    return { name, phase: worst, ...(message ? { message } : {}) };
  }

  /** Ends a run that still measures, as Argo Rollouts does once its Rollout is promoted. */
  terminate(cluster: SimulatedCluster, namespace: string, name: string) {
    const run = cluster.store.get(ANALYSIS_RUNS, namespace, name);
    const status = (run?.status ?? {}) as Record<string, any>;
    if (!run || !['Running', 'Pending', undefined].includes(status.phase))
      return;
    cluster.store.apply({
      ...run,
      spec: { ...(run.spec as object), terminate: true },
      status: {
        ...status,
        phase: 'Successful',
        message: 'Run Terminated',
        metricResults: (status.metricResults ?? []).map((r: MetricResult) => ({
          ...r,
          phase: r.phase === 'Running' ? 'Successful' : r.phase,
          message: r.phase === 'Running' ? 'Metric Terminated' : r.message,
        })),
      },
    });
  }

  /** Deletes the AnalysisRuns of a Rollout that is gone. */
  forget(cluster: SimulatedCluster, namespace: string, rollout: string) {
    for (const run of cluster.store.all(ANALYSIS_RUNS))
      if (
        run.metadata.namespace === namespace &&
        run.metadata.ownerReferences?.some(
          o => o.kind === 'Rollout' && o.name === rollout,
        )
      )
        cluster.store.delete(ANALYSIS_RUNS, namespace, run.metadata.name);
  }

  #newRun(
    cluster: SimulatedCluster,
    target: AnalysedRevision,
    name: string,
    now: number,
  ): KubeObject | undefined {
    const { rollout, podHash, stableHash, revision } = target;
    const namespace = rollout.metadata.namespace!;
    const analysis = (rollout.spec as Record<string, any>).strategy.canary
      .analysis;
    const templates: KubeObject[] = [];
    for (const ref of analysis.templates ?? []) {
      const template = cluster.store.get(
        ANALYSIS_TEMPLATES,
        namespace,
        ref.templateName,
      );
      if (!template) return undefined;
      templates.push(template);
    }
    const rolloutArgs = new Map<string, string>(
      (analysis.args ?? []).map((a: Record<string, any>) => {
        const from = a.valueFrom?.podTemplateHashValue;
        let value: string | undefined = a.value;
        if (from === 'Latest') value = podHash;
        if (from === 'Stable') value = stableHash;
        return [a.name, value];
      }),
    );
    const args = templates
      .flatMap(t => (t.spec as Record<string, any>).args ?? [])
      .map((a: { name: string; value?: string }) => ({
        name: a.name,
        ...((rolloutArgs.get(a.name) ?? a.value) !== undefined
          ? { value: rolloutArgs.get(a.name) ?? a.value }
          : {}),
      }));
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisRun',
      metadata: {
        name,
        namespace,
        creationTimestamp: new Date(now).toISOString(),
        labels: {
          'rollout-type': 'Background',
          [POD_TEMPLATE_HASH_LABEL]: podHash,
        },
        annotations: { [REVISION]: String(revision) },
        ownerReferences: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Rollout',
            name: rollout.metadata.name,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        args,
        metrics: templates.flatMap(
          t => (t.spec as Record<string, any>).metrics ?? [],
        ),
      },
      status: { phase: 'Pending' },
    };
  }

  /** One metric: a measurement when due, and its assessment. */
  #measure(
    cluster: SimulatedCluster,
    metric: Record<string, any>,
    args: Record<string, string>,
    previous: MetricResult | undefined,
    now: number,
  ): MetricResult {
    const result: MetricResult = previous
      ? { ...previous, measurements: [...previous.measurements] }
      : {
          name: metric.name,
          phase: 'Running',
          measurements: [],
          count: 0,
          successful: 0,
          failed: 0,
          inconclusive: 0,
          error: 0,
          consecutiveError: 0,
        };
    if (result.phase !== 'Running') return result;
    const last = result.measurements[result.measurements.length - 1];
    const interval = durationMs(metric.interval) / this.clockFactor;
    const due =
      !last ||
      (Number.isFinite(interval) &&
        now - Date.parse(last.finishedAt) >= interval);
    if (due) {
      const measurement = takeMeasurement(
        metric,
        args,
        dcgmSeries(cluster, this.faults),
        now,
      );
      result.measurements.push(measurement);
      result.count += 1;
      if (measurement.phase === 'Successful') result.successful += 1;
      if (measurement.phase === 'Failed') result.failed += 1;
      if (measurement.phase === 'Inconclusive') result.inconclusive += 1;
      if (measurement.phase === 'Error') result.error += 1;
      result.consecutiveError =
        measurement.phase === 'Error' ? result.consecutiveError + 1 : 0;
      // Argo Rollouts keeps the last 10 measurements.
      result.measurements = result.measurements.slice(-10);
    }
    return { ...result, ...assessMetric(metric, result) };
  }
}
