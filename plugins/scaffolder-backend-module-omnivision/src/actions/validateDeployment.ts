import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { DeploymentPlanner } from '@internal/plugin-omnivision-node';
import { deploymentRequestFields } from '@internal/plugin-omnivision-common';
import { planForTask } from './planForTask';
import { validateDeploymentExamples } from './validateDeployment.examples';

/**
 * `omnivision:deployment:validate`: checks a deployment request on the server against every
 * rule and fails the task with all violations at once; writes nothing anywhere.
 */
export function createValidateDeploymentAction(options: {
  planner: DeploymentPlanner;
}) {
  return createTemplateAction({
    id: 'omnivision:deployment:validate',
    description:
      'Checks a model deployment against the policy: model, GPU profile per cloud, memory, replicas, team quota, image digest and signature, names. Fails with every violation.',
    examples: validateDeploymentExamples,
    supportsDryRun: true,
    schema: {
      input: deploymentRequestFields,
      output: {
        gpus: z => z.number().describe('GPUs the deployment holds at its most'),
        monthlyMaxUsd: z =>
          z.number().describe('Monthly cost at the most replicas'),
      },
    },
    async handler(ctx) {
      const plan = await planForTask(options.planner, ctx);
      ctx.logger.info(
        `${ctx.input.model}: every rule passed (${plan.gpus} GPUs at most)`,
      );
      ctx.output('gpus', plan.gpus);
      ctx.output('monthlyMaxUsd', plan.cost.monthlyMaxUsd);
    },
  });
}
