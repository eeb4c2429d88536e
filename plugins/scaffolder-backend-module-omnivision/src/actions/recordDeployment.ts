import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { pullRequestFields } from './pullRequestFields';
import { deploymentRequestFields } from '@internal/plugin-omnivision-common';
import type { DeploymentRequestsService } from '@internal/plugin-omnivision-node';
import { recordDeploymentExamples } from './recordDeployment.examples';

/**
 * `omnivision:deployment:record`: records the request with the OmniVision backend once its pull
 * request is open, on behalf of the person who asked, through the deployment requests service of
 * `@internal/plugin-omnivision-node`. The backend checks the request against the policy again and
 * writes the audit trail; it takes records from the scaffolder only. No GitHub call.
 */
export function createRecordDeploymentAction(options: {
  requests: DeploymentRequestsService;
}) {
  return createTemplateAction({
    id: 'omnivision:deployment:record',
    description:
      'Records a deployment request and its pull request with the OmniVision backend (requests page, timeline, audit trail).',
    examples: recordDeploymentExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...deploymentRequestFields,
        ...pullRequestFields,
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
      await options.requests.record(
        {
          pullRequest: {
            number: pullRequestNumber,
            url: pullRequestUrl,
            branch,
          },
          request,
        },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      ctx.logger.info(
        `recorded the request of pull request #${pullRequestNumber}`,
      );
      ctx.output('requestPath', `/deployments/${pullRequestNumber}`);
    },
  });
}
