import express, { Request, Response } from 'express';
import type { Fleet } from '../kubernetes/Fleet';
import { ImageFaults } from './ImageFaults';
import { dcgmSeries } from './DcgmMetrics';
import { formatSampleValue, runPromQl } from './PromQlEvaluator';
import { PromQlError } from './PromQlParser';

export interface PrometheusRouterOptions {
  fleet: Fleet;
  faults: ImageFaults;
  now?: () => number;
}

/** Prometheus's `time` parameter: unix seconds (a float), or RFC 3339; absent means now. */
function readTime(value: unknown, now: number): number {
  if (value === undefined || value === '') return now;
  const text = String(value);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new PromQlError(
      `invalid parameter "time": cannot parse ${JSON.stringify(
        text,
      )} to a valid timestamp`,
    );
  return parsed;
}

function badData(res: Response, message: string) {
  res
    .status(400)
    .json({ status: 'error', errorType: 'bad_data', error: message });
}

/**
 * Each cluster's Prometheus, at `/prometheus/<cluster>/api/v1/query` (GET, or POST with a form
 * body, as Prometheus's instant query): the DCGM exporter's metrics of the pods the cluster runs,
 * queried with the PromQL subset of `PromQlParser`, answered in Prometheus's shapes.
 */
export function createPrometheusRouter(
  options: PrometheusRouterOptions,
): express.Router {
  const now = options.now ?? Date.now;
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));

  const query = (req: Request, res: Response) => {
    const cluster = options.fleet.get(req.params.cluster);
    if (!cluster) {
      res.status(404).json({
        status: 'error',
        errorType: 'not_found',
        error: `no cluster named ${JSON.stringify(req.params.cluster)}`,
      });
      return;
    }
    const params = { ...req.query, ...(req.body ?? {}) } as Record<
      string,
      unknown
    >;
    try {
      if (typeof params.query !== 'string' || params.query.trim() === '')
        throw new PromQlError('invalid parameter "query": query is empty');
      const time = readTime(params.time, now());
      const result = runPromQl(
        params.query,
        dcgmSeries(cluster, options.faults),
        time,
      );
      const at = time / 1000;
      res.json({
        status: 'success',
        data:
          result.resultType === 'scalar'
            ? {
                resultType: 'scalar',
                result: [at, formatSampleValue(result.value)],
              }
            : {
                resultType: 'vector',
                result: result.samples.map(s => ({
                  metric: s.metric,
                  value: [at, formatSampleValue(s.value)],
                })),
              },
      });
    } catch (error) {
      if (!(error instanceof PromQlError)) throw error;
      badData(
        res,
        error.message.startsWith('invalid parameter')
          ? error.message
          : `invalid parameter "query": ${error.message}`,
      );
    }
  };
  router.get('/:cluster/api/v1/query', query);
  router.post('/:cluster/api/v1/query', query);
  return router;
}
