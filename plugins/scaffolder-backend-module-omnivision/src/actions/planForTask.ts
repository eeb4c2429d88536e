import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { DeploymentRequest } from '@internal/plugin-omnivision-common';
import type {
  DeploymentPlan,
  DeploymentPlanner,
  PlanOptions,
} from '@internal/plugin-omnivision-node';

/** Plans the task's request as the person who started the task. */
export async function planForTask(
  planner: DeploymentPlanner,
  ctx: Pick<ActionContext<{}>, 'getInitiatorCredentials' | 'user'> & {
    input: DeploymentRequest;
  },
  options?: PlanOptions,
): Promise<DeploymentPlan> {
  return planner.plan(
    ctx.input,
    {
      credentials: await ctx.getInitiatorCredentials(),
      user: ctx.user?.entity,
      ref: ctx.user?.ref,
    },
    options,
  );
}
