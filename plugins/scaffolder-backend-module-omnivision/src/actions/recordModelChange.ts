import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { pullRequestFields } from './pullRequestFields';
import { modelChangeRequestFields } from '@internal/plugin-omnivision-common';
import type { DeploymentRequestsService } from '@internal/plugin-omnivision-node';
import { recordModelChangeExamples } from './recordModelChange.examples';

/**
 * `omnivision:model-change:record`: records a rollback or retirement with the OmniVision backend
 * once its pull request is open, on behalf of the person who asked, as
 * `omnivision:deployment:record` does a deployment. The backend plans it again and checks the
 * branch; no GitHub call.
 */
export function createRecordModelChangeAction(options: {
  requests: DeploymentRequestsService;
}) {
  return createTemplateAction({
    id: 'omnivision:model-change:record',
    description:
      'Records a rollback or retirement and its pull request with the OmniVision backend (requests page, timeline, audit trail).',
    examples: recordModelChangeExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...modelChangeRequestFields,
        ...pullRequestFields,
      },
      output: {
        requestPath: z =>
          z.string().describe("The request's page in the portal"),
      },
    },
    async handler(ctx) {
      const { pullRequestNumber, pullRequestUrl, branch, ...change } =
        ctx.input;
      const requestPath = `/deployments/${pullRequestNumber}`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `would record the ${change.kind} of #${pullRequestNumber}`,
        );
        ctx.output('requestPath', requestPath);
        return;
      }
      await options.requests.recordChange(
        {
          pullRequest: {
            number: pullRequestNumber,
            url: pullRequestUrl,
            branch,
          },
          change,
        },
        { credentials: await ctx.getInitiatorCredentials() },
      );
      ctx.logger.info(
        `recorded the ${change.kind} of pull request #${pullRequestNumber}`,
      );
      ctx.output('requestPath', requestPath);
    },
  });
}
