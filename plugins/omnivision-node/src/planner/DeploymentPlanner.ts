import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { UserEntity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DeploymentCost,
  DeploymentRequest,
  PolicyResult,
  PolicyViolation,
  RenderedValuesFile,
  chooseModelVersion,
  deploymentBranch,
  describePolicyResult,
  estimateDeploymentCost,
  evaluateDeploymentPolicy,
  modelImageOf,
  modelNameOf,
  renderValuesFiles,
  requestedGpus,
  validateDeploymentRequest,
} from '@internal/plugin-omnivision-common';
import type { DeploymentContextLoader } from './DeploymentContextLoader';

/** A request that passed every rule, with everything its pull request needs. @public */
export interface DeploymentPlan {
  files: RenderedValuesFile[];
  branch: string;
  /** The model version it deploys: the one named, or the newest signed one (absent for a model that lists no versions). */
  version?: string;
  cost: DeploymentCost;
  gpus: number;
  /** The team whose GPU quota the request counts against (a group entity ref). */
  team: string;
  title: string;
  body: string;
  /** Every rule of the policy with its outcome (all passed, for a plan). */
  policyResults: PolicyResult[];
}

/** Who asks for a deployment: their credentials, their user entity (for the team quota) and ref. @public */
export interface DeploymentRequester {
  credentials: BackstageCredentials;
  user?: UserEntity;
  ref?: string;
}

/** What the planner is told besides the request. @public */
export interface PlanOptions {
  /**
   * The chosen regions where the model already runs (the backend's admission says so): the pull
   * request is then titled an update.
   */
  runningIn?: string[];
}

/** The policy's answer on a request: every violation, and the plan when there are none. @public */
export interface DeploymentCheck {
  violations: PolicyViolation[];
  plan?: DeploymentPlan;
}

/** The message of a refused request: each violation on a line of its own. @public */
export function describeViolations(violations: PolicyViolation[]): string {
  return `the deployment request breaks ${violations.length} rule${
    violations.length === 1 ? '' : 's'
  }:\n${violations.map(v => `- ${v.rule}: ${v.message}`).join('\n')}`;
}

const usd = (n: number) =>
  `$${n.toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;

/**
 * Checks a deployment request against the policy (all rules, reported at once) and renders what
 * its pull request holds. The scaffolder actions refuse with {@link DeploymentPlanner.plan}; the
 * deploy form's review shows {@link DeploymentPlanner.check}.
 *
 * @public
 */
export class DeploymentPlanner {
  static create(loader: DeploymentContextLoader): DeploymentPlanner {
    return new DeploymentPlanner(loader);
  }

  private constructor(private readonly loader: DeploymentContextLoader) {}

  /** The plan of a request that passes every rule; otherwise an InputError with each violation. */
  async plan(
    request: DeploymentRequest,
    requester: DeploymentRequester,
    options: PlanOptions = {},
  ): Promise<DeploymentPlan> {
    const { violations, plan } = await this.check(request, requester, options);
    if (!plan) throw new InputError(describeViolations(violations));
    return plan;
  }

  /** Every violation of a request, and its plan when there are none. */
  async check(
    request: DeploymentRequest,
    requester: DeploymentRequester,
    options: PlanOptions = {},
  ): Promise<DeploymentCheck> {
    const context = await this.loader.load(request, requester);
    const violations = validateDeploymentRequest(request, context);
    const policyResults = evaluateDeploymentPolicy(request, context);
    if (violations.length > 0 || !context.model) {
      return { violations };
    }
    const profile = context.profiles.find(p => p.id === request.gpuProfile)!;
    const files = renderValuesFiles(request, {
      ...context,
      model: context.model,
    });
    const cost = estimateDeploymentCost(request, profile);
    const gpus = requestedGpus(request, profile);
    const name = modelNameOf(request.model);
    const { version } = chooseModelVersion(context.model, request);
    const image = modelImageOf(context.model, version);
    const regions = request.regions.join(', ');
    const updating = (options.runningIn ?? []).length > 0;
    const title = updating
      ? `Update ${name}${version ? ` to ${version.version}` : ''} on ${
          profile.id
        } in ${regions}`
      : `Deploy ${name} on ${profile.id} to ${regions}`;
    const body = [
      updating ? `## Update \`${name}\`` : `## Deploy \`${name}\``,
      ...(updating
        ? [
            '',
            `It already runs in ${options.runningIn!.join(
              ', ',
            )}: this changes its values files there.`,
          ]
        : []),
      '',
      `Requested by ${
        requester.ref ?? 'an unknown user'
      } through the OmniVision Portal.`,
      '',
      '| | |',
      '| --- | --- |',
      `| Model | \`${request.model}\` (${
        context.model.dataClassification ?? 'unclassified'
      }) |`,
      ...(version
        ? [`| Version | ${version.version} (released ${version.releasedAt}) |`]
        : []),
      `| Image | \`${image.repository}@${image.digest}\` (signed) |`,
      `| GPU profile | ${profile.title} (\`${profile.id}\`) |`,
      `| Regions | ${request.regions.join(', ')} |`,
      `| Replicas | ${request.minReplicas} to ${request.maxReplicas} per region (${gpus} GPUs at most) |`,
      `| Rollout | ${
        request.rollout === 'canary'
          ? 'canary 5% → 10 min → 50% → 30 min'
          : 'direct'
      } |`,
      '',
      '### Cost',
      '',
      ...cost.regions.map(
        r =>
          `- ${r.region}: ${usd(r.hourlyMinUsd)} to ${usd(
            r.hourlyMaxUsd,
          )} an hour`,
      ),
      `- In all: ${usd(cost.hourlyMinUsd)} to ${usd(
        cost.hourlyMaxUsd,
      )} an hour, ${usd(cost.monthlyMinUsd)} to ${usd(
        cost.monthlyMaxUsd,
      )} a month`,
      '',
      '### Policy',
      '',
      'Every rule passed:',
      '',
      ...policyResults.map(r => `- ${describePolicyResult(r)}`),
      '',
      '### Files',
      '',
      ...files.map(f => `- \`${f.path}\` → ${f.cluster}`),
    ].join('\n');
    return {
      violations: [],
      plan: {
        files,
        branch: deploymentBranch(request),
        version: version?.version,
        cost,
        gpus,
        team: context.team,
        title,
        body,
        policyResults,
      },
    };
  }
}
