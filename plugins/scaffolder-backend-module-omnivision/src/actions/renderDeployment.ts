import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { DeploymentPlanner } from '@internal/plugin-omnivision-node';
import { deploymentRequestFields } from '@internal/plugin-omnivision-common';
import { planForTask } from './planForTask';
import { renderDeploymentExamples } from './renderDeployment.examples';

/**
 * `omnivision:deployment:render`: checks the request again and renders the Helm values of the
 * omnivision-platform chart, one file per model per region, with the branch, the pull
 * request's title and body (an update where the model already runs: `runningIn`), and the cost.
 * Writes nothing.
 */
export function createRenderDeploymentAction(options: {
  planner: DeploymentPlanner;
}) {
  return createTemplateAction({
    id: 'omnivision:deployment:render',
    description:
      'Renders the Helm values of a model deployment, one file per region, with the pull request title, body, branch and cost.',
    examples: renderDeploymentExamples,
    supportsDryRun: true,
    schema: {
      input: {
        ...deploymentRequestFields,
        runningIn: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'The regions where the model already runs (omnivision:deployment:validate): the pull request is an update there',
            ),
      },
      output: {
        files: z =>
          z
            .array(z.object({ path: z.string(), content: z.string() }))
            .describe('The values files, by path in the GitOps repository'),
        branch: z => z.string().describe('The branch of this request'),
        title: z => z.string(),
        body: z => z.string(),
        hourlyMaxUsd: z => z.number(),
        monthlyMaxUsd: z => z.number(),
      },
    },
    async handler(ctx) {
      const { runningIn, ...request } = ctx.input;
      const plan = await planForTask(
        options.planner,
        { ...ctx, input: request },
        { runningIn },
      );
      for (const file of plan.files)
        ctx.logger.info(`rendered ${file.path} for ${file.cluster}`);
      ctx.output(
        'files',
        plan.files.map(f => ({ path: f.path, content: f.content })),
      );
      ctx.output('branch', plan.branch);
      ctx.output('title', plan.title);
      ctx.output('body', plan.body);
      ctx.output('hourlyMaxUsd', plan.cost.hourlyMaxUsd);
      ctx.output('monthlyMaxUsd', plan.cost.monthlyMaxUsd);
    },
  });
}
