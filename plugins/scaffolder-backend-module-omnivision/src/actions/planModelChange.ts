import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { modelChangeRequestFields } from '@internal/plugin-omnivision-common';
import type { DeploymentRequestsService } from '@internal/plugin-omnivision-node';
import { planModelChangeExamples } from './planModelChange.examples';

/**
 * `omnivision:model-change:plan`: has the OmniVision backend admit and plan a rollback or a
 * retirement as the task's initiator (the backend knows the request store and the GitOps
 * repository's `main`; its refusals are audited there), and outputs what its pull request holds.
 * Writes nothing.
 */
export function createPlanModelChangeAction(options: {
  requests: DeploymentRequestsService;
}) {
  return createTemplateAction({
    id: 'omnivision:model-change:plan',
    description:
      "Plans a model's rollback (each region back to the version last recorded healthy there, through the policy) or retirement (its values files removed), as the OmniVision backend admits it: the branch, title, body and files of its pull request. Fails with the backend's refusal.",
    examples: planModelChangeExamples,
    supportsDryRun: true,
    schema: {
      input: modelChangeRequestFields,
      output: {
        files: z =>
          z
            .array(
              z.union([
                z.object({ path: z.string(), content: z.string() }),
                z.object({ path: z.string(), delete: z.literal(true) }),
              ]),
            )
            .describe(
              'The values files written (rollback) or removed (retirement)',
            ),
        branch: z => z.string().describe('The branch of this request'),
        title: z => z.string(),
        body: z => z.string(),
        gpus: z => z.number().describe('GPUs it holds at its most'),
      },
    },
    async handler(ctx) {
      const admitted = await options.requests.admitChange(ctx.input, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      for (const file of admitted.files)
        ctx.logger.info(
          `${'delete' in file ? 'removes' : 'writes'} ${file.path}`,
        );
      ctx.output('files', admitted.files);
      ctx.output('branch', admitted.branch);
      ctx.output('title', admitted.title);
      ctx.output('body', admitted.body);
      ctx.output('gpus', admitted.gpus);
    },
  });
}
