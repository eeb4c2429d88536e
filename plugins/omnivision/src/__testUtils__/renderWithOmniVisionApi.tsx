import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { omnivisionApiRef, OmniVisionClient } from '../api';
import { clusterRouteRef } from '../routes';

/** The backend's base URL in component tests: msw answers under it. */
export const API = 'http://localhost:7007/api/omnivision';

/** Renders a page with the real client, whose requests msw answers. */
export function renderWithOmniVisionApi(
  element: JSX.Element,
  options: { mountPath?: string; initialRouteEntries?: string[] } = {},
) {
  const client = new OmniVisionClient(
    mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    { fetch: (input, init) => fetch(input, init) },
  );
  return renderInTestApp(element, {
    apis: [[omnivisionApiRef, client]],
    mountedRoutes: { '/fleet/clusters/:name': clusterRouteRef },
    ...options,
  });
}
