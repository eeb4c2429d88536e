import type { Series } from './DcgmMetrics';
import { runPromQl } from './PromQlEvaluator';
import { PromQlError } from './PromQlParser';

const NOW = 1_800_000_000_000;

/** A counter growing at `perMinute` and a gauge, for one pod. */
function pod(name: string, perMinute: number, utilisation: number): Series[] {
  const labels = { namespace: 'models', pod: name, gpu: '0' };
  return [
    {
      labels: { __name__: 'DCGM_FI_DEV_XID_ERRORS', ...labels },
      valueAt: t => (perMinute * (t - (NOW - 600_000))) / 60_000,
    },
    {
      labels: { __name__: 'DCGM_FI_DEV_GPU_UTIL', ...labels },
      valueAt: () => utilisation,
    },
  ];
}

const series = [
  ...pod('vidgen-abc-1', 6, 80),
  ...pod('vidgen-abc-2', 0, 60),
  ...pod('vidgen-def-1', 0, 90),
];

const values = (query: string) => {
  const result = runPromQl(query, series, NOW);
  if (result.resultType !== 'vector') throw new Error('expected a vector');
  return result.samples
    .map(s => [s.metric.pod ?? '', s.value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
};

describe('the sandbox PromQL subset', () => {
  it('evaluates the chart gpu-health-check query: XID errors of the canary pods in the last minute', () => {
    const query = `sum(increase(DCGM_FI_DEV_XID_ERRORS{namespace="models",
      pod=~"vidgen-abc-.*"}[1m])) or vector(0)`;
    expect(values(query)).toEqual([['', 6]]);
    // No canary pod: `or vector(0)` answers 0.
    expect(
      values(
        'sum(increase(DCGM_FI_DEV_XID_ERRORS{pod=~"other-.*"}[1m])) or vector(0)',
      ),
    ).toEqual([['', 0]]);
    expect(
      values('sum(rate(DCGM_FI_DEV_XID_ERRORS{pod=~"vidgen-.*"}[1m]))*60'),
    ).toEqual([['', 6]]);
  });

  it('selects with =, !=, =~ and !~, and aggregates with sum, avg and max by labels', () => {
    expect(values('DCGM_FI_DEV_GPU_UTIL{pod!="vidgen-abc-1"}')).toEqual([
      ['vidgen-abc-2', 60],
      ['vidgen-def-1', 90],
    ]);
    expect(values('DCGM_FI_DEV_GPU_UTIL{pod!~"vidgen-abc-.*"}')).toEqual([
      ['vidgen-def-1', 90],
    ]);
    expect(values('max by (pod) (DCGM_FI_DEV_GPU_UTIL{pod=~".*-1"})')).toEqual([
      ['vidgen-abc-1', 80],
      ['vidgen-def-1', 90],
    ]);
    expect(values('avg(DCGM_FI_DEV_GPU_UTIL)')).toEqual([['', 230 / 3]]);
    expect(
      runPromQl('sum(DCGM_FI_DEV_GPU_UTIL) by (namespace)', series, NOW),
    ).toEqual({
      resultType: 'vector',
      samples: [{ metric: { namespace: 'models' }, value: 230 }],
    });
  });

  it('refuses what it does not implement, as bad data', () => {
    for (const query of [
      'histogram_quantile(0.9, DCGM_FI_DEV_GPU_UTIL)',
      'sum without (pod) (DCGM_FI_DEV_GPU_UTIL)',
      'DCGM_FI_DEV_GPU_UTIL[5m]',
      'DCGM_FI_DEV_GPU_UTIL offset 5m',
      'DCGM_FI_DEV_GPU_UTIL > 50',
      '{pod=~".*"}',
      'DCGM_FI_DEV_GPU_UTIL{pod=~"("}',
      'sum(DCGM_FI_DEV_GPU_UTIL',
      '1 or vector(1)',
    ])
      expect(() => runPromQl(query, series, NOW)).toThrow(PromQlError);
  });
});
