import { startTestSandbox } from '../testing/startTestSandbox';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

describe('the admin API scales a cluster up to Kubernetes’ limits', () => {
  let t: TestSandbox;
  let c: { name: string; url: string; token: string };
  const scale = (body: unknown) =>
    fetch(`${t.url}/sandbox/clusters/${c.name}/scale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const list = async (query: string) =>
    (
      await t.kubeFetch(`${c.url}/api/v1/pods?${query}`, {
        headers: { authorization: `Bearer ${c.token}` },
      })
    ).json();

  beforeAll(async () => {
    // No sync loop of its own (the scale endpoint still settles it): the counts hold still.
    t = await startTestSandbox({ sync: { intervalMs: 3_600_000 } });
    c = (await t.admin('GET', '/endpoints')).clusters[1];
  });
  afterAll(() => t.stop());

  it('rebuilds a cluster with 5,000 nodes and 150,000 pods, which lists page by page', async () => {
    const res = await scale({ nodes: 5_000, pods: 150_000 });
    expect(res.status).toBe(200);
    const { objects } = await res.json();
    expect(objects['v1/nodes']).toBeGreaterThanOrEqual(5_000);
    expect(objects['v1/pods']).toBeGreaterThanOrEqual(150_000);

    const first = await list('limit=500');
    expect(first.items).toHaveLength(500);
    expect(first.metadata.remainingItemCount).toBe(objects['v1/pods'] - 500);
    const second = await list(
      `limit=500&continue=${encodeURIComponent(first.metadata.continue)}`,
    );
    expect(second.metadata.remainingItemCount).toBe(objects['v1/pods'] - 1_000);
    expect(second.items[0].metadata.name).not.toBe(
      first.items[499].metadata.name,
    );
    // With a selector how many of the rest match is unknown: a continue token, no count.
    const selected = await list('limit=500&labelSelector=app%3Dbatch-encoder');
    expect(selected.items).toHaveLength(500);
    expect(selected.metadata.continue).toEqual(expect.any(String));
    expect(selected.metadata).not.toHaveProperty('remainingItemCount');
  }, 60_000);

  it.each([
    [
      { nodes: 24, pods: 150_001 },
      '"pods" must be a whole number from 0 to 150000',
    ],
    [{ nodes: 5_001 }, '"nodes" must be a whole number from 1 to 5000'],
  ])('refuses %j with 400 and the limit', async (body, error) => {
    const res = await scale(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });
});
