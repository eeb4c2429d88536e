import type { z as zod } from 'zod/v3';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type {
  DeploymentPlan,
  DeploymentPlanner,
} from '@internal/plugin-omnivision-node';

type Z = typeof zod;

/** The deploy template's parameters, as both deployment actions take them. */
export const deploymentInput = {
  model: (z: Z) =>
    z
      .string()
      .describe('Entity ref of the ai-model, e.g. resource:default/vidgen-xl'),
  gpuProfile: (z: Z) =>
    z.string().describe('GPU profile id (omnivision.gpuProfiles)'),
  regions: (z: Z) =>
    z
      .array(z.string())
      .describe('Region ids to deploy to (omnivision.regions)'),
  minReplicas: (z: Z) => z.number().describe('Replicas at the least'),
  maxReplicas: (z: Z) =>
    z.number().describe('Replicas at the most (autoscaling)'),
  rollout: (z: Z) =>
    z
      .string()
      .default('canary')
      .describe('canary (5% → 10 min → 50% → 30 min) or direct'),
};

/** Plans the task's request as the person who started the task. */
export async function planForTask(
  planner: DeploymentPlanner,
  ctx: Pick<
    ActionContext<{
      model: string;
      gpuProfile: string;
      regions: string[];
      minReplicas: number;
      maxReplicas: number;
      rollout: string;
    }>,
    'input' | 'getInitiatorCredentials' | 'user'
  >,
): Promise<DeploymentPlan> {
  return planner.plan(
    { ...ctx.input, rollout: ctx.input.rollout as 'canary' | 'direct' },
    {
      credentials: await ctx.getInitiatorCredentials(),
      user: ctx.user?.entity,
      ref: ctx.user?.ref,
    },
  );
}
