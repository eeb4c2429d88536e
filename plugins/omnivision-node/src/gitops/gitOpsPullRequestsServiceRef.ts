import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { GitOpsPullRequests } from './GitOpsPullRequests';
import { gitOpsRepositoryLocator } from './GitOpsRepository';

/**
 * The pull requests of the GitOps repository of `omnivision.gitops`, reached as the portal with
 * the `integrations.github` credentials of its host. Without `omnivision.gitops` every call fails
 * with a 503 that says so; a host without an integration fails at start-up.
 *
 * @public
 */
export const gitOpsPullRequestsServiceRef =
  createServiceRef<GitOpsPullRequests>({
    id: 'omnivision.gitops-pull-requests',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: coreServices.rootConfig },
        factory({ config }) {
          const repository = config.has('omnivision.gitops')
            ? gitOpsRepositoryLocator(config)
            : async () => {
                throw new ServiceUnavailableError(
                  'the GitOps repository needs omnivision.gitops in the app config',
                );
              };
          return GitOpsPullRequests.create({ repository });
        },
      }),
  });
