import type { DeploymentRequestState } from './requestProgress';

/**
 * The signals channel (`@backstage/plugin-signals`) on which the backend announces that a
 * deployment request changed in its store: open request pages refetch instead of polling.
 *
 * @public
 */
export const REQUESTS_SIGNAL_CHANNEL = 'omnivision:requests';

/**
 * What a request-changed signal carries: which request and where it now stands. Nothing more:
 * signals are broadcast, and a page reads the rest through the API, with its permissions.
 *
 * @public
 */
export type RequestChangedSignal = {
  pullRequestNumber: number;
  state: DeploymentRequestState;
  /** When the store changed, ISO 8601. */
  updatedAt: string;
};

/** The topic of the portal's notifications (`@backstage/plugin-notifications`). @public */
export const REQUESTS_NOTIFICATION_TOPIC = 'omnivision-deployment-requests';
