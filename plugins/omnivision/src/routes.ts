import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The fleet pages (`/fleet`). */
export const rootRouteRef = createRouteRef();
/** One cluster (`/fleet/clusters/:name`). */
export const clusterRouteRef = createRouteRef({ params: ['name'] });
