import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  DeploymentPlanner,
  DeploymentRequestsService,
} from '@internal/plugin-omnivision-node';
import { deploymentRequestFields } from '@internal/plugin-omnivision-common';
import { planForTask } from './planForTask';
import { validateDeploymentExamples } from './validateDeployment.examples';

/**
 * `omnivision:deployment:validate`: checks a deployment request on the server against every
 * rule and fails the task with all violations at once, then has the OmniVision backend admit it
 * (the team's GPUs across the fleet, no other person's open request for the model; refusals are
 * audited there); writes nothing anywhere.
 */
export function createValidateDeploymentAction(options: {
  planner: DeploymentPlanner;
  requests: DeploymentRequestsService;
}) {
  return createTemplateAction({
    id: 'omnivision:deployment:validate',
    description:
      "Checks a model deployment against the policy: model, GPU profile per cloud, memory, replicas, team quota across the fleet, image digest and signature, names, and no other person's open request for the model. Fails with every violation.",
    examples: validateDeploymentExamples,
    supportsDryRun: true,
    schema: {
      input: deploymentRequestFields,
      output: {
        gpus: z => z.number().describe('GPUs the deployment holds at its most'),
        monthlyMaxUsd: z =>
          z.number().describe('Monthly cost at the most replicas'),
        runningIn: z =>
          z
            .array(z.string())
            .describe(
              'The chosen regions where the model already runs: the request updates it there',
            ),
      },
    },
    async handler(ctx) {
      const plan = await planForTask(options.planner, ctx);
      const admitted = ctx.isDryRun
        ? undefined
        : await options.requests.admit(ctx.input, {
            credentials: await ctx.getInitiatorCredentials(),
          });
      ctx.logger.info(
        `${ctx.input.model}: every rule passed (${plan.gpus} GPUs at most)`,
      );
      ctx.output('gpus', plan.gpus);
      ctx.output('monthlyMaxUsd', plan.cost.monthlyMaxUsd);
      ctx.output('runningIn', admitted?.runningIn ?? []);
    },
  });
}
