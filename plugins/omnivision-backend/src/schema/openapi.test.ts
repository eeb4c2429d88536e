import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type express from 'express';
import { createFleetRouter } from '../fleet/createFleetRouter';
import { createModelsRouter } from '../models/createModelsRouter';
import { createAuditRouter } from '../audit/createAuditRouter';
import { createRequestsRouter } from '../requests/createRequestsRouter';
import { createRolloutsRouter } from '../rollouts/createRolloutsRouter';

/** `get /clusters/{name}` for each route a router serves. */
function routesOf(router: express.Router): string[] {
  return (router as any).stack
    .filter((layer: any) => layer.route)
    .flatMap((layer: any) =>
      Object.keys(layer.route.methods).map(
        method => `${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`,
      ),
    );
}

describe('the OpenAPI document', () => {
  it('documents exactly the routes the routers serve', async () => {
    const document = parse(
      fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    const routers = [
      await createFleetRouter({
        httpAuth: {} as any,
        permissions: {} as any,
        documents: {} as any,
        history: {} as any,
      }),
      await createModelsRouter({
        httpAuth: {} as any,
        permissions: {} as any,
        catalog: {} as any,
        fleet: {} as any,
        documents: {} as any,
        profiles: [],
      }),
      await createRequestsRouter({
        httpAuth: {} as any,
        userInfo: {} as any,
        permissions: {} as any,
        audit: {} as any,
      }),
      await createAuditRouter({
        httpAuth: {} as any,
        permissions: {} as any,
        audit: {} as any,
      }),
      await createRolloutsRouter({
        httpAuth: {} as any,
        permissions: {} as any,
        fleet: {} as any,
        audit: {} as any,
      }),
    ];
    const served = routers.flatMap(routesOf).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([p, operations]) =>
        Object.keys(operations as object).map(method => `${method} ${p}`),
      )
      .sort();
    expect(served).toEqual(documented);
  });
});
