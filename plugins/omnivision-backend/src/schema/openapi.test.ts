import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createRouter } from '../router';

describe('the OpenAPI document', () => {
  it('documents exactly the routes the router serves', async () => {
    const document = parse(
      fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
    );
    const router = await createRouter({
      httpAuth: {} as any,
      userInfo: {} as any,
      permissions: {} as any,
      fleet: {} as any,
      history: {} as any,
    });
    const served = (router as any).stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method => `${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
      )
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([p, operations]) =>
        Object.keys(operations as object).map(method => `${method} ${p}`),
      )
      .sort();
    expect(served).toEqual(documented);
  });
});
