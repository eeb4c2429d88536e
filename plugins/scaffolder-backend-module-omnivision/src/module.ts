import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createValidateDeploymentAction } from './actions/validateDeployment';
import { createRenderDeploymentAction } from './actions/renderDeployment';
import { createOpenGitOpsPullRequestAction } from './actions/openGitOpsPullRequest';
import { readDeploymentConfig } from './services/DeploymentConfig';
import { DeploymentContextLoader } from './services/DeploymentContextLoader';
import { DeploymentPlanner } from './services/DeploymentPlanner';

/**
 * The OmniVision scaffolder actions: `omnivision:deployment:validate`,
 * `omnivision:deployment:render` and `omnivision:gitops:pull-request`.
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
        catalog: catalogServiceRef,
        scaffolder: scaffolderActionsExtensionPoint,
      },
      async init({ config, catalog, scaffolder }) {
        const deployment = readDeploymentConfig(config);
        const planner = DeploymentPlanner.create(
          DeploymentContextLoader.create({ config: deployment, catalog }),
        );
        const integrations = ScmIntegrations.fromConfig(config);
        const credentials =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const { host, owner, repo, baseBranch } = deployment.gitops;
        const integration = integrations.github.byHost(host);
        if (!integration) {
          throw new Error(
            `omnivision.gitops.host ${host} has no integrations.github entry`,
          );
        }
        scaffolder.addActions(
          createValidateDeploymentAction({ planner }),
          createRenderDeploymentAction({ planner }),
          createOpenGitOpsPullRequestAction({
            gitopsFolders: deployment.regions.map(r => r.gitopsFolder),
            // The portal's identity: the GitHub App (or token) of the integration.
            repository: async () => {
              const { token } = await credentials.getCredentials({
                url: `https://${host}/${owner}/${repo}`,
              });
              if (!token)
                throw new Error(
                  `no GitHub credentials for ${host}/${owner}/${repo}`,
                );
              return {
                apiBaseUrl: integration.config.apiBaseUrl!,
                owner,
                repo,
                baseBranch,
                token,
              };
            },
          }),
        );
      },
    });
  },
});
