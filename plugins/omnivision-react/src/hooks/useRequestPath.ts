import { useRouteRef } from '@backstage/frontend-plugin-api';
import { requestRouteRef } from '../routes';

/**
 * The path of a deployment request's page, by its pull request number; `/deployments/<number>`
 * where the route is not mounted.
 *
 * @public
 */
export function useRequestPath(): (pullRequestNumber: number) => string {
  const requestLink = useRouteRef(requestRouteRef);
  return pullRequestNumber =>
    requestLink?.({ number: String(pullRequestNumber) }) ??
    `/deployments/${pullRequestNumber}`;
}
