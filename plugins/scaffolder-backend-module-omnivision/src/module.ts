import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { readDeploymentRegions } from '@internal/plugin-omnivision-common';
import {
  deploymentPlannerServiceRef,
  deploymentRequestsServiceRef,
  gitOpsPullRequestsServiceRef,
} from '@internal/plugin-omnivision-node';
import { createValidateDeploymentAction } from './actions/validateDeployment';
import { createRenderDeploymentAction } from './actions/renderDeployment';
import { createOpenGitOpsPullRequestAction } from './actions/openGitOpsPullRequest';
import { createRecordDeploymentAction } from './actions/recordDeployment';
import { createPlanModelChangeAction } from './actions/planModelChange';
import { createRecordModelChangeAction } from './actions/recordModelChange';

/**
 * The OmniVision scaffolder actions: `omnivision:deployment:validate`,
 * `omnivision:deployment:render`, `omnivision:gitops:pull-request`,
 * `omnivision:deployment:record`, and for rollbacks and retirements
 * `omnivision:model-change:plan` and `omnivision:model-change:record`, over the planner, the GitOps pull requests and the deployment
 * requests of `@internal/plugin-omnivision-node`.
 *
 * @public
 */
export const scaffolderModuleOmniVision = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'omnivision',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        planner: deploymentPlannerServiceRef,
        gitOps: gitOpsPullRequestsServiceRef,
        requests: deploymentRequestsServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, planner, gitOps, requests, scaffolder }) {
        scaffolder.addActions(
          createValidateDeploymentAction({ planner, requests }),
          createRenderDeploymentAction({ planner }),
          createOpenGitOpsPullRequestAction({
            gitopsFolders: readDeploymentRegions(config).map(
              r => r.gitopsFolder,
            ),
            gitOps,
          }),
          createRecordDeploymentAction({ requests }),
          createPlanModelChangeAction({ requests }),
          createRecordModelChangeAction({ requests }),
        );
      },
    });
  },
});
