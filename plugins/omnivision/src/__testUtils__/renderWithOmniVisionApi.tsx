import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import {
  omnivisionApiRef,
  OmniVisionClient,
} from '@internal/plugin-omnivision-react';
import type { MockSignalApi } from '@internal/plugin-omnivision-react/testUtils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { clusterRouteRef, requestRouteRef } from '../routes';

type TestAppOptions = NonNullable<Parameters<typeof renderInTestApp>[1]>;

/** The GitHub token the signed-in person's GitHub sign-in gives in component tests. */
export const GITHUB_TOKEN = 'gho_signed_in_person';

/** The backend's base URL in component tests: msw answers under it. */
export const API = 'http://localhost:7007/api/omnivision';

/**
 * Renders a page with the real client, whose requests msw answers; with `signals`, the app has
 * the signal API and the test sends the backend's signals through it.
 */
export function renderWithOmniVisionApi(
  element: JSX.Element,
  options: {
    mountPath?: string;
    initialRouteEntries?: string[];
    signals?: MockSignalApi;
    /** More APIs of the app, e.g. `mockApis.identity(…)`, `mockApis.permission(…)`. */
    apis?: TestAppOptions['apis'];
    /** The app's config, e.g. `{ omnivision: { fleetPages: { fallbackPollSeconds: 0 } } }`. */
    config?: TestAppOptions['config'];
  } = {},
) {
  const { signals, apis = [], ...renderOptions } = options;
  const client = new OmniVisionClient(
    mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    { fetch: (input, init) => fetch(input, init) },
  );
  return renderInTestApp(element, {
    apis: [
      [omnivisionApiRef, client],
      [githubAuthApiRef, { getAccessToken: async () => GITHUB_TOKEN } as any],
      ...(signals ? [signals.apiPair()] : []),
      ...apis,
    ],
    mountedRoutes: {
      '/fleet/clusters/:name': clusterRouteRef,
      '/deployments/:number': requestRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    ...renderOptions,
  });
}
