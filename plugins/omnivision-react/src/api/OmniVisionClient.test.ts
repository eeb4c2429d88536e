import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { OmniVisionClient } from './OmniVisionClient';

const API = 'http://localhost:7007/api/omnivision';

describe('OmniVisionClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const newClient = () =>
    new OmniVisionClient(
      mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      { fetch: (input, init) => fetch(input, init) },
    );
  const client = newClient();

  it("lists requests by filter and model, unwrapping the answer's items", async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/requests`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [{ pullRequestNumber: 7 }] });
      }),
    );
    await expect(
      client.listRequests('review', { model: 'vidgen-xl' }),
    ).resolves.toEqual([{ pullRequestNumber: 7 }]);
    expect(url?.searchParams.get('filter')).toBe('review');
    expect(url?.searchParams.get('model')).toBe('vidgen-xl');
  });

  it('asks for the model matrix with only the filters given', async () => {
    const urls: URL[] = [];
    server.use(
      http.get(`${API}/models`, ({ request }) => {
        urls.push(new URL(request.url));
        return HttpResponse.json({ models: [] });
      }),
    );
    await client.getModelMatrix();
    await client.getModelMatrix({ team: 'data-science', health: 'degraded' });
    expect(urls.map(u => u.search)).toEqual([
      '',
      '?team=data-science&health=degraded',
    ]);
  });

  it("controls a canary, and rejects with the server's refusal", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(
        `${API}/models/vidgen-xl/rollouts/:region`,
        async ({ request, params }) => {
          bodies.push(await request.json());
          return params.region === 'us-west-2'
            ? HttpResponse.json({ action: 'pause' })
            : HttpResponse.json(
                {
                  error: {
                    name: 'NotAllowedError',
                    message:
                      'only platform-team may promote, abort, pause or resume a canary',
                  },
                  request: {
                    method: 'POST',
                    url: '/api/omnivision/models/vidgen-xl/rollouts/europe-west1',
                  },
                  response: { statusCode: 403 },
                },
                { status: 403 },
              );
        },
      ),
    );
    await client.controlRollout('vidgen-xl', 'us-west-2', 'pause');
    const refusal = await client
      .controlRollout('vidgen-xl', 'europe-west1', 'promote')
      .catch(e => e);
    expect(refusal).toBeInstanceOf(ResponseError);
    expect(refusal.body.error.message).toBe(
      'only platform-team may promote, abort, pause or resume a canary',
    );
    expect(bodies).toEqual([{ action: 'pause' }, { action: 'promote' }]);
  });

  it("asks for a metric's history over a time range", async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/history`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ points: [] });
      }),
    );
    await client.getHistory({
      cluster: 'eks-us-west-2',
      metric: 'headroom',
      from: new Date('2026-11-24T08:00:00Z'),
    });
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      cluster: 'eks-us-west-2',
      metric: 'headroom',
      from: '2026-11-24T08:00:00.000Z',
    });
  });

  it("reviews and merges with the person's GitHub token", async () => {
    const seen: Array<{ path: string; token: string | null; body: unknown }> =
      [];
    server.use(
      http.post(`${API}/requests/:number/:action`, async ({ request }) => {
        seen.push({
          path: new URL(request.url).pathname,
          token: request.headers.get('x-github-token'),
          body: request.headers.get('content-type')
            ? await request.json()
            : undefined,
        });
        return HttpResponse.json({ pullRequestNumber: 7 });
      }),
    );
    await client.reviewRequest(7, { event: 'APPROVE' }, 'gho_person');
    await client.mergeRequest(7, 'gho_person');
    expect(seen).toEqual([
      {
        path: '/api/omnivision/requests/7/reviews',
        token: 'gho_person',
        body: { event: 'APPROVE' },
      },
      {
        path: '/api/omnivision/requests/7/merge',
        token: 'gho_person',
        body: undefined,
      },
    ]);
  });

  describe("the fleet's documents", () => {
    // A client remembers the documents it read: each test starts with one that read none.
    let reader: OmniVisionClient;
    beforeEach(() => {
      reader = newClient();
    });

    /** A route that versions its document by an ETag, and answers 304 to its current one. */
    const versioned = (path: string) => {
      const state = { version: 1, conditions: [] as Array<string | null> };
      server.use(
        http.get(`${API}${path}`, ({ request }) => {
          const condition = request.headers.get('if-none-match');
          state.conditions.push(condition);
          const etag = `"${new URL(request.url).search}v${state.version}"`;
          const headers = { etag, 'cache-control': 'private, no-cache' };
          return condition === etag
            ? new HttpResponse(null, { status: 304, headers })
            : HttpResponse.json({ version: state.version }, { headers });
        }),
      );
      return state;
    };

    it.each([
      ['/fleet', () => reader.getFleet()],
      ['/compliance', () => reader.getCompliance()],
      ['/clusters/eks-us-west-2', () => reader.getCluster('eks-us-west-2')],
      ['/models', () => reader.getModelMatrix()],
      [
        '/models/vidgen-xl/deployments',
        () => reader.getModelDeployments('vidgen-xl'),
      ],
    ])(
      'reads %s again with If-None-Match, and gives the same value on 304 until it changes',
      async (path, read: () => Promise<unknown>) => {
        const route = versioned(path);
        const first = await read();
        expect(first).toEqual({ version: 1 });
        await expect(read()).resolves.toBe(first);
        route.version = 2;
        await expect(read()).resolves.toEqual({ version: 2 });
        expect(route.conditions).toEqual([null, '"v1"', '"v1"']);
      },
    );

    it("remembers each URL's version on its own: a filter or a cluster is another document", async () => {
      const matrix = versioned('/models');
      const cluster = versioned('/clusters/:name');
      await reader.getModelMatrix();
      await reader.getModelMatrix({ team: 'data-science' });
      await reader.getModelMatrix({ team: 'data-science' });
      await reader.getCluster('eks-us-west-2');
      await reader.getCluster('gke-europe-west1');
      expect(matrix.conditions).toEqual([null, null, '"?team=data-sciencev1"']);
      expect(cluster.conditions).toEqual([null, null]);
    });

    it('reads a document without an ETag whole every time, and fails with the status', async () => {
      let fails = false;
      const conditions: Array<string | null> = [];
      server.use(
        http.get(`${API}/fleet`, ({ request }) => {
          conditions.push(request.headers.get('if-none-match'));
          return fails
            ? HttpResponse.json(
                { error: { name: 'Error', message: 'fleet cache not ready' } },
                { status: 503 },
              )
            : HttpResponse.json({ clusters: [] });
        }),
      );
      await reader.getFleet();
      await reader.getFleet();
      fails = true;
      const error = await reader.getFleet().catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(503);
      expect(conditions).toEqual([null, null, null]);
    });
  });

  it("throws the backend's error with its reason", async () => {
    server.use(
      http.get(`${API}/clusters/:name`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'No cluster nowhere' },
            request: { method: 'GET', url: '/api/omnivision/clusters/nowhere' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client.getCluster('nowhere').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('No cluster nowhere');
  });
});
