import type { Series } from '../prometheus/DcgmMetrics';
import { runPromQl } from '../prometheus/PromQlEvaluator';
import { evaluateCondition } from './analysisConditions';

/** Argo Rollouts' default consecutiveErrorLimit. */
const CONSECUTIVE_ERROR_LIMIT = 4;

export type AnalysisPhase =
  | 'Pending'
  | 'Running'
  | 'Successful'
  | 'Failed'
  | 'Error'
  | 'Inconclusive';

/** Where a Rollout's background analysis stands. */
export interface AnalysisOutcome {
  name: string;
  phase: AnalysisPhase;
  message?: string;
}

export interface Measurement {
  phase: AnalysisPhase;
  value?: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
}

export interface MetricResult {
  name: string;
  phase: AnalysisPhase;
  message?: string;
  measurements: Measurement[];
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
}

const limitOf = (value: unknown, fallback: number) =>
  value === undefined || value === '' ? fallback : Number(value);

/**
 * One measurement of a Prometheus metric of an AnalysisRun: its query with `{{args.…}}`
 * filled in, run over the cluster's series, and its conditions evaluated on the result (an
 * array of the vector's values, or the scalar).
 */
export function takeMeasurement(
  metric: Record<string, any>,
  args: Record<string, string>,
  series: Series[],
  now: number,
): Measurement {
  const at = new Date(now).toISOString();
  try {
    const query = metric.provider?.prometheus?.query;
    if (typeof query !== 'string')
      throw new Error(
        'the sandbox measures metrics of the prometheus provider only',
      );
    const resolved = query.replace(
      /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g,
      (_all, arg: string) => {
        if (!(arg in args)) throw new Error(`args.${arg} was not resolved`);
        return args[arg];
      },
    );
    const value = runPromQl(resolved, series, now);
    const result =
      value.resultType === 'scalar'
        ? value.value
        : value.samples.map(s => s.value);
    const text = Array.isArray(result)
      ? `[${result.join(',')}]`
      : String(result);
    const failed =
      metric.failureCondition &&
      evaluateCondition(metric.failureCondition, result);
    const succeeded =
      metric.successCondition &&
      evaluateCondition(metric.successCondition, result);
    // Argo Rollouts: a failure wins, then a success; with both conditions and neither met,
    // the measurement is Inconclusive; with one condition, its opposite decides.
    let phase: AnalysisPhase = 'Successful';
    if (failed) phase = 'Failed';
    else if (metric.successCondition && !succeeded)
      phase = metric.failureCondition ? 'Inconclusive' : 'Failed';
    return { phase, value: text, startedAt: at, finishedAt: at };
  } catch (error) {
    return {
      phase: 'Error',
      message: (error as Error).message,
      startedAt: at,
      finishedAt: at,
    };
  }
}

/** A metric's phase from its measurements, with Argo Rollouts' messages. */
export function assessMetric(
  metric: Record<string, any>,
  result: MetricResult,
): { phase: AnalysisPhase; message?: string } {
  const failureLimit = limitOf(metric.failureLimit, 0);
  const inconclusiveLimit = limitOf(metric.inconclusiveLimit, 0);
  const errorLimit = limitOf(
    metric.consecutiveErrorLimit,
    CONSECUTIVE_ERROR_LIMIT,
  );
  const name = JSON.stringify(result.name);
  if (failureLimit >= 0 && result.failed > failureLimit)
    return {
      phase: 'Failed',
      message: `Metric ${name} assessed Failed due to failed (${result.failed}) > failureLimit (${failureLimit})`,
    };
  if (inconclusiveLimit >= 0 && result.inconclusive > inconclusiveLimit)
    return {
      phase: 'Inconclusive',
      message: `Metric ${name} assessed Inconclusive due to inconclusive (${result.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`,
    };
  if (errorLimit >= 0 && result.consecutiveError > errorLimit) {
    const lastMessage =
      result.measurements[result.measurements.length - 1]?.message ?? '';
    return {
      phase: 'Error',
      message: `Metric ${name} assessed Error due to consecutiveErrors (${result.consecutiveError}) > consecutiveErrorLimit (${errorLimit}): "Error Message: ${lastMessage}"`,
    };
  }
  const count = limitOf(metric.count, 0);
  if (count > 0 && result.count >= count) return { phase: 'Successful' };
  return { phase: 'Running' };
}
