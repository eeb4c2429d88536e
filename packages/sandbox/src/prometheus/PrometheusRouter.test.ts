import { resourceTypeOfKind } from '../kubernetes/resources';
import { startTestSandbox } from '../testing/startTestSandbox';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

describe('the clusters Prometheus query API and the image faults admin API', () => {
  let t: TestSandbox;
  let prometheus: string;

  beforeAll(async () => {
    t = await startTestSandbox({ sync: { intervalMs: 60_000 } });
    const endpoints = await t.admin('GET', '/endpoints');
    prometheus = endpoints.clusters.find(
      (c: any) => c.name === 'eks-us-west-2',
    ).prometheusUrl;
  });
  afterAll(() => t.stop());

  const query = async (params: Record<string, string>, method = 'GET') => {
    const body = new URLSearchParams(params).toString();
    const res =
      method === 'GET'
        ? await fetch(`${prometheus}/api/v1/query?${body}`)
        : await fetch(`${prometheus}/api/v1/query`, {
            method,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          });
    return { status: res.status, body: await res.json() };
  };

  it('answers instant queries in Prometheus shape, with DCGM series of the running GPU pods', async () => {
    const { status, body } = await query({
      query: 'DCGM_FI_DEV_GPU_UTIL',
      time: '1800000000.5',
    });
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.data.resultType).toBe('vector');
    expect(body.data.result.length).toBeGreaterThan(0);
    expect(body.data.result[0]).toEqual({
      metric: expect.objectContaining({
        __name__: 'DCGM_FI_DEV_GPU_UTIL',
        pod: expect.any(String),
        namespace: expect.any(String),
        gpu: '0',
        UUID: expect.stringMatching(/^GPU-/),
        modelName: expect.any(String),
        Hostname: expect.any(String),
      }),
      value: [1800000000.5, expect.stringMatching(/^\d+$/)],
    });

    const posted = await query(
      { query: 'count(DCGM_FI_DEV_GPU_UTIL)' },
      'POST',
    );
    expect(posted.body.data.result).toEqual([
      {
        metric: {},
        value: [expect.any(Number), String(body.data.result.length)],
      },
    ]);
    expect((await query({ query: '2*3' })).body.data).toEqual({
      resultType: 'scalar',
      result: [expect.any(Number), '6'],
    });
  });

  it('refuses a query it cannot parse with bad_data', async () => {
    const { status, body } = await query({
      query: 'histogram_quantile(0.9, DCGM_FI_DEV_GPU_UTIL)',
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: expect.stringContaining('not supported'),
    });
    expect((await query({})).body.errorType).toBe('bad_data');
    expect((await query({ query: 'up', time: 'yesterday' })).status).toBe(400);
  });

  it('makes the pods of a faulty image report XID errors until the fault is cleared', async () => {
    const { body } = await query({
      query: 'DCGM_FI_DEV_XID_ERRORS',
    });
    const sample = body.data.result[0];
    // The image that pod runs.
    const pod = t.sandbox.fleet
      .get('eks-us-west-2')!
      .store.all(resourceTypeOfKind('Pod'))
      .find(p => p.metadata.name === sample.metric.pod)!;
    const digest = /@(sha256:[0-9a-f]{64})/.exec(
      (pod.status as any).containerStatuses[0].imageID,
    )![1];
    const errorsOf = async () =>
      Number(
        (
          await query({
            query: `sum(increase(DCGM_FI_DEV_XID_ERRORS{pod="${sample.metric.pod}"}[1m]))`,
            time: String((Date.now() + 60_000) / 1000),
          })
        ).body.data.result[0].value[1],
      );
    expect(await errorsOf()).toBe(0);

    await t.admin('POST', '/images/faults', {
      digest,
      cudaErrorsPerMinute: 12,
    });
    expect(await t.admin('GET', '/images/faults')).toEqual({
      faults: [{ digest, cudaErrorsPerMinute: 12, since: expect.any(String) }],
    });
    // A minute after the fault was set: 12 errors in the last minute.
    expect(await errorsOf()).toBeCloseTo(12, 0);

    await t.admin('DELETE', `/images/faults?digest=${digest}`);
    expect(await errorsOf()).toBe(0);
    expect(await t.admin('GET', '/images/faults')).toEqual({ faults: [] });
  });

  it('refuses a fault without a digest or with a negative rate', async () => {
    for (const fault of [
      { digest: 'sha256:abc', cudaErrorsPerMinute: 1 },
      { digest: `sha256:${'a'.repeat(64)}`, cudaErrorsPerMinute: -1 },
      { digest: `sha256:${'a'.repeat(64)}`, cudaErrorsPerMinute: '3' },
    ]) {
      const res = await fetch(`${t.url}/sandbox/images/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/digest|cudaErrorsPerMinute/);
    }
  });
});
