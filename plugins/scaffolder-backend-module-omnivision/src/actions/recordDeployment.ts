import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { deploymentInput } from './deploymentInput';
import { recordDeploymentExamples } from './recordDeployment.examples';

/**
 * `omnivision:deployment:record`: records the request with the OmniVision backend once its pull
 * request is open, on behalf of the person who asked. The backend checks the request against the
 * policy again and writes the audit trail; it takes records from the scaffolder only.
 */
export function createRecordDeploymentAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'omnivision:deployment:record',
    description:
      'Records a deployment request and its pull request with the OmniVision backend (requests page, timeline, audit trail).',
    examples: recordDeploymentExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...deploymentInput,
        pullRequestNumber: z =>
          z.number().int().positive().describe('The pull request it opened'),
        pullRequestUrl: z => z.string().describe("The pull request's URL"),
        branch: z => z.string().describe("The pull request's branch"),
      },
      output: {
        requestPath: z =>
          z.string().describe("The request's page in the portal"),
      },
    },
    async handler(ctx) {
      const { pullRequestNumber, pullRequestUrl, branch, ...request } =
        ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(`would record the request of #${pullRequestNumber}`);
        ctx.output('requestPath', `/deployments/${pullRequestNumber}`);
        return;
      }
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await ctx.getInitiatorCredentials(),
        targetPluginId: 'omnivision',
      });
      const baseUrl = await options.discovery.getBaseUrl('omnivision');
      const response = await fetch(`${baseUrl}/requests`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          pullRequestNumber,
          pullRequestUrl,
          branch,
          request,
        }),
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      ctx.logger.info(
        `recorded the request of pull request #${pullRequestNumber}`,
      );
      ctx.output('requestPath', `/deployments/${pullRequestNumber}`);
    },
  });
}
