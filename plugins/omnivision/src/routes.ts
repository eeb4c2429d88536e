import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The fleet pages (`/fleet`). */
export const rootRouteRef = createRouteRef();
/** One cluster (`/fleet/clusters/:name`). */
export const clusterRouteRef = createRouteRef({ params: ['name'] });
/** The deployment requests (`/deployments`). */
export const requestsRouteRef = createRouteRef();
/** One deployment request, by its pull request number (`/deployments/:number`): shared, so any package links to a request. */
export { requestRouteRef } from '@internal/plugin-omnivision-react';
