import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createValidateDeploymentAction } from './actions/validateDeployment';
import { createRenderDeploymentAction } from './actions/renderDeployment';
import { createOpenGitOpsPullRequestAction } from './actions/openGitOpsPullRequest';
import { createRecordDeploymentAction } from './actions/recordDeployment';
import {
  DeploymentContextLoader,
  DeploymentPlanner,
  gitOpsRepositoryLocator,
  readDeploymentConfig,
} from '@internal/plugin-omnivision-node';

/**
 * The OmniVision scaffolder actions: `omnivision:deployment:validate`,
 * `omnivision:deployment:render`, `omnivision:gitops:pull-request` and
 * `omnivision:deployment:record`.
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
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, auth, discovery, catalog, scaffolder }) {
        const deployment = readDeploymentConfig(config);
        const planner = DeploymentPlanner.create(
          DeploymentContextLoader.create({ config: deployment, catalog }),
        );
        // The portal's identity: the GitHub App (or token) of the integration.
        const repository = gitOpsRepositoryLocator(config);
        scaffolder.addActions(
          createValidateDeploymentAction({ planner }),
          createRenderDeploymentAction({ planner }),
          createOpenGitOpsPullRequestAction({
            gitopsFolders: deployment.regions.map(r => r.gitopsFolder),
            repository,
          }),
          createRecordDeploymentAction({ auth, discovery }),
        );
      },
    });
  },
});
