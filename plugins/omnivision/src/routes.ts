import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The fleet pages (`/fleet`). */
export const rootRouteRef = createRouteRef();
/** One cluster (`/fleet/clusters/:name`). */
export const clusterRouteRef = createRouteRef({ params: ['name'] });
/** The deployment requests (`/deployments`). */
export const requestsRouteRef = createRouteRef();
/** One deployment request, by its pull request number (`/deployments/:number`). */
export const requestRouteRef = createRouteRef({ params: ['number'] });
