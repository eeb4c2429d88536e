import { createRouteRef } from '@backstage/frontend-plugin-api';

/**
 * One deployment request's page, by its pull request number (`/deployments/:number`). The
 * OmniVision plugin binds it to its request page; any package links to a request through it.
 *
 * @public
 */
export const requestRouteRef = createRouteRef({ params: ['number'] });
