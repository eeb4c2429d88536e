import type { Series } from './DcgmMetrics';
import {
  LabelMatcher,
  PromQlError,
  PromQlExpr,
  matchesLabel,
  parsePromQl,
} from './PromQlParser';

/** One element of an instant vector. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** What a query evaluates to: an instant vector, or a scalar. */
export type QueryValue =
  | { resultType: 'vector'; samples: Sample[] }
  | { resultType: 'scalar'; value: number };

function withoutName(labels: Record<string, string>) {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

function signature(labels: Record<string, string>) {
  return JSON.stringify(
    Object.entries(withoutName(labels)).sort(([a], [b]) => a.localeCompare(b)),
  );
}

function select(series: Series[], matchers: LabelMatcher[]) {
  return series.filter(s =>
    matchers.every(m => matchesLabel(m, s.labels[m.label] ?? '')),
  );
}

function arithmetic(op: string, a: number, b: number) {
  switch (op) {
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '+':
      return a + b;
    default:
      return a - b;
  }
}

/**
 * Evaluates a parsed query at a time (ms) over a cluster's series. Counters' `increase` is the
 * difference of the values at both ends of the range (a decrease counts as a reset, from 0),
 * without Prometheus's extrapolation to the range's edges; `rate` is that per second.
 */
export function evaluatePromQl(
  expr: PromQlExpr,
  series: Series[],
  time: number,
): QueryValue {
  const vector = (samples: Sample[]): QueryValue => ({
    resultType: 'vector',
    samples,
  });
  switch (expr.type) {
    case 'number':
      return { resultType: 'scalar', value: expr.value };
    case 'vector':
      return vector([{ metric: {}, value: expr.value }]);
    case 'selector':
      return vector(
        select(series, expr.matchers).map(s => ({
          metric: { ...s.labels },
          value: s.valueAt(time),
        })),
      );
    case 'range':
      return vector(
        select(series, expr.matchers).map(s => {
          const end = s.valueAt(time);
          const start = s.valueAt(time - expr.rangeMs);
          const increase = end >= start ? end - start : end;
          return {
            metric: withoutName(s.labels),
            value:
              expr.fn === 'rate' ? increase / (expr.rangeMs / 1000) : increase,
          };
        }),
      );
    case 'aggregate': {
      const inner = evaluatePromQl(expr.expr, series, time);
      if (inner.resultType !== 'vector')
        throw new PromQlError(
          `expected type instant vector in aggregation expression, got scalar`,
        );
      const groups = new Map<
        string,
        { metric: Record<string, string>; values: number[] }
      >();
      for (const sample of inner.samples) {
        const metric = Object.fromEntries(
          (expr.by ?? [])
            .filter(l => sample.metric[l] !== undefined && l !== '__name__')
            .map(l => [l, sample.metric[l]]),
        );
        const key = signature(metric);
        const group = groups.get(key) ?? { metric, values: [] };
        group.values.push(sample.value);
        groups.set(key, group);
      }
      return vector(
        [...groups.values()].map(({ metric, values }) => {
          const sum = values.reduce((a, b) => a + b, 0);
          const value = {
            sum,
            avg: sum / values.length,
            max: Math.max(...values),
            min: Math.min(...values),
            count: values.length,
          }[expr.op];
          return { metric, value };
        }),
      );
    }
    case 'binary': {
      const left = evaluatePromQl(expr.left, series, time);
      const right = evaluatePromQl(expr.right, series, time);
      if (expr.op === 'or') {
        if (left.resultType !== 'vector' || right.resultType !== 'vector')
          throw new PromQlError(
            'set operator "or" not allowed in binary scalar expression',
          );
        const seen = new Set(left.samples.map(s => signature(s.metric)));
        return vector([
          ...left.samples,
          ...right.samples.filter(s => !seen.has(signature(s.metric))),
        ]);
      }
      if (left.resultType === 'scalar' && right.resultType === 'scalar')
        return {
          resultType: 'scalar',
          value: arithmetic(expr.op, left.value, right.value),
        };
      if (left.resultType === 'scalar' || right.resultType === 'scalar') {
        const samples =
          left.resultType === 'vector'
            ? left.samples
            : (right as { samples: Sample[] }).samples;
        return vector(
          samples.map(s => ({
            metric: withoutName(s.metric),
            value:
              left.resultType === 'scalar'
                ? arithmetic(expr.op, left.value, s.value)
                : arithmetic(
                    expr.op,
                    s.value,
                    (right as { value: number }).value,
                  ),
          })),
        );
      }
      // Two vectors: one-to-one on all labels but the metric name.
      const rights = new Map(right.samples.map(s => [signature(s.metric), s]));
      return vector(
        left.samples.flatMap(s => {
          const match = rights.get(signature(s.metric));
          return match
            ? [
                {
                  metric: withoutName(s.metric),
                  value: arithmetic(expr.op, s.value, match.value),
                },
              ]
            : [];
        }),
      );
    }
    default:
      throw new PromQlError('unsupported expression');
  }
}

/** Parses and evaluates a query; throws {@link PromQlError} for one outside the subset. */
export function runPromQl(
  query: string,
  series: Series[],
  time: number,
): QueryValue {
  return evaluatePromQl(parsePromQl(query), series, time);
}

/** A sample value as Prometheus's JSON writes it. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
