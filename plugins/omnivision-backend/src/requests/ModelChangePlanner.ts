import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  DeploymentRegion,
  DeploymentRequest,
  ModelChangeKind,
  ModelChangeRequest,
  PolicyResult,
  isDnsLabel,
  lastHealthyVersion,
  modelChangeBranch,
  modelNameOf,
  modelValuesPath,
  ownerEntityRef,
  readModelValuesHolding,
} from '@internal/plugin-omnivision-common';
import {
  type DeploymentPlanner,
  type DeploymentRequester,
  type GitOpsPullRequests,
  describeViolations,
} from '@internal/plugin-omnivision-node';
import type { DeploymentRequestStore } from './DeploymentRequestStore';

/** A file a model change writes (`content`) or removes (`delete`), in a region's folder. */
export type ModelChangeFile = {
  path: string;
  region: string;
  cluster: string;
} & ({ content: string } | { delete: true });

/** A rollback or retirement that passed every check, with everything its pull request needs. */
export interface ModelChangePlan {
  kind: ModelChangeKind;
  branch: string;
  title: string;
  body: string;
  files: ModelChangeFile[];
  /**
   * What the change deploys, as a request: for a rollback, the request each region last ran
   * healthy with (its version, GPU profile, replicas and rollout) in the change's regions; for a
   * retirement, the model in its regions with no profile and no replicas.
   */
  request: DeploymentRequest;
  /** GPUs it holds at its most (none for a retirement). */
  gpus: number;
  /** The team it counts against: the requester's (rollback) or the model's owner (retirement). */
  team: string;
  policyResults: PolicyResult[];
}

const list = (items: string[]) => items.join(', ');

/**
 * Plans what a model's life after its first deployment asks for, as a pull request: a rollback
 * sets each region back to the version last recorded healthy there (the request store's
 * observations), re-rendered through the deployment planner and its policy; a retirement removes
 * the model's values file in each region. Refuses with an InputError what cannot be done (a region
 * the model does not run in, a region with no healthy record). Reads only.
 */
export class ModelChangePlanner {
  readonly #planner: DeploymentPlanner;
  readonly #gitOps: GitOpsPullRequests;
  readonly #store: DeploymentRequestStore;
  readonly #regions: DeploymentRegion[];

  static create(options: {
    planner: DeploymentPlanner;
    gitOps: GitOpsPullRequests;
    store: DeploymentRequestStore;
    regions: DeploymentRegion[];
  }): ModelChangePlanner {
    return new ModelChangePlanner(options);
  }

  private constructor(
    options: Parameters<typeof ModelChangePlanner.create>[0],
  ) {
    this.#planner = options.planner;
    this.#gitOps = options.gitOps;
    this.#store = options.store;
    this.#regions = options.regions;
  }

  async plan(
    change: ModelChangeRequest,
    requester: DeploymentRequester,
  ): Promise<ModelChangePlan> {
    const name = modelNameOf(change.model);
    const problems: string[] = [];
    if (!isDnsLabel(name)) {
      problems.push(
        `model name ${JSON.stringify(name)} is not a DNS-1123 label`,
      );
    }
    if (new Set(change.regions).size !== change.regions.length) {
      problems.push('a region is listed twice');
    }
    const unknown = change.regions.filter(
      r => !this.#regions.some(c => c.id === r),
    );
    if (unknown.length > 0) {
      problems.push(
        `unknown region${unknown.length === 1 ? '' : 's'} ${list(
          unknown,
        )}; the regions: ${list(this.#regions.map(r => r.id))}`,
      );
    }
    if (problems.length > 0) {
      throw new InputError(
        `cannot ${change.kind} ${name}: ${problems.join('; ')}`,
      );
    }
    return change.kind === 'retire'
      ? this.#retirement(change, name)
      : this.#rollback(change, name, requester);
  }

  /** The regions among the given ones where the model's values file is on the base branch. */
  async regionsRunning(
    modelRef: string,
    regionIds: string[],
  ): Promise<string[]> {
    const name = modelNameOf(modelRef);
    const regions = this.#regions.filter(r => regionIds.includes(r.id));
    const paths = regions.map(r => modelValuesPath(r.gitopsFolder, name));
    const base = await this.#gitOps.readBaseFiles(paths);
    return regions
      .filter((_, i) => base.get(paths[i]) !== undefined)
      .map(r => r.id);
  }

  async #retirement(
    change: ModelChangeRequest,
    name: string,
  ): Promise<ModelChangePlan> {
    const regions = change.regions.map(
      id => this.#regions.find(r => r.id === id)!,
    );
    const paths = regions.map(r => modelValuesPath(r.gitopsFolder, name));
    const base = await this.#gitOps.readBaseFiles(paths);
    const { baseBranch } = await this.#gitOps.repository();
    const missing = regions.filter((_, i) => base.get(paths[i]) === undefined);
    if (missing.length > 0) {
      throw new InputError(
        `${name} is not deployed in ${list(
          missing.map(r => r.id),
        )}: ${baseBranch} has no ${list(
          missing.map(r => modelValuesPath(r.gitopsFolder, name)),
        )}; nothing to retire there`,
      );
    }
    const contents = paths.map(p => base.get(p)!);
    const owner = readModelValuesHolding(contents[0])?.owner ?? '';
    const files: ModelChangeFile[] = regions.map((r, i) => ({
      path: paths[i],
      region: r.id,
      cluster: r.cluster,
      delete: true,
    }));
    const digest = createHash('sha256')
      .update(contents.join('\0'))
      .digest('hex');
    return {
      kind: 'retire',
      // What runs now is part of the branch: retiring again after a new deployment is a new branch.
      branch: modelChangeBranch(change, [digest]),
      title: `Retire ${name} from ${list(change.regions)}`,
      body: [
        `## Retire \`${name}\``,
        '',
        `Removes the model's values file in each region: once merged, Argo CD prunes its Application and Rollout there, its pods stop and their GPUs go back to the warm pool.`,
        '',
        '### Files removed',
        '',
        ...files.map(f => `- \`${f.path}\` → ${f.cluster}`),
      ].join('\n'),
      files,
      request: {
        model: change.model,
        gpuProfile: '',
        regions: change.regions,
        minReplicas: 0,
        maxReplicas: 0,
        rollout: 'direct',
      },
      gpus: 0,
      team: owner && ownerEntityRef(owner),
      policyResults: [],
    };
  }

  async #rollback(
    change: ModelChangeRequest,
    name: string,
    requester: DeploymentRequester,
  ): Promise<ModelChangePlan> {
    const stored = await this.#store.list({
      model: change.model,
      states: ['merged'],
    });
    const observations = await this.#store.observations(
      stored.map(s => s.record.pullRequestNumber),
    );
    const requests = stored.map(s => ({
      record: s.record,
      pull: s.pull,
      observations: observations.get(s.record.pullRequestNumber) ?? [],
    }));
    const targets = change.regions.map(region => ({
      region,
      healthy: lastHealthyVersion(change.model, region, requests),
    }));
    const none = targets.filter(t => !t.healthy).map(t => t.region);
    if (none.length > 0) {
      throw new InputError(
        `cannot roll back ${name} in ${list(
          none,
        )}: no request of it was ever recorded healthy there, so there is no version to go back to`,
      );
    }
    const sources = [
      ...new Set(targets.map(t => t.healthy!.record.pullRequestNumber)),
    ];
    if (sources.length > 1) {
      throw new InputError(
        `cannot roll back ${name} in ${list(
          change.regions,
        )} at once: they last ran healthy with different requests (${targets
          .map(
            t =>
              `${t.region}: #${t.healthy!.record.pullRequestNumber}, version ${
                t.healthy!.version ?? 'unversioned'
              }`,
          )
          .join('; ')}); roll back one region at a time`,
      );
    }
    const { record: source, version, healthyAt } = targets[0].healthy!;
    const request: DeploymentRequest = {
      model: source.model,
      ...(version && { version }),
      gpuProfile: source.gpuProfile,
      regions: change.regions,
      minReplicas: source.minReplicas,
      maxReplicas: source.maxReplicas,
      rollout: source.rollout,
    };
    // A rollback sets back what runs: a region the model was retired from is deployed again, not
    // rolled back.
    const running = await this.regionsRunning(change.model, change.regions);
    const retired = change.regions.filter(r => !running.includes(r));
    if (retired.length > 0) {
      throw new InputError(
        `cannot roll back ${name} in ${list(
          retired,
        )}: it is not deployed there; deploy it with deploy-model instead`,
      );
    }
    const { violations, plan } = await this.#planner.check(request, requester);
    if (!plan) throw new InputError(describeViolations(violations));
    const base = await this.#gitOps.readBaseFiles(plan.files.map(f => f.path));
    if (plan.files.every(f => base.get(f.path) === f.content)) {
      throw new InputError(
        `cannot roll back ${name} in ${list(
          change.regions,
        )}: Git already holds ${
          version
            ? `version ${version}`
            : `request #${source.pullRequestNumber}`
        }, the version last recorded healthy there; nothing to roll back`,
      );
    }
    const to = version
      ? `version ${version}`
      : `request #${source.pullRequestNumber}`;
    return {
      kind: 'rollback',
      branch: modelChangeBranch(change, [
        `#${source.pullRequestNumber}`,
        version ?? '',
      ]),
      title: `Roll back ${name} to ${to} in ${list(change.regions)}`,
      body: [
        `## Roll back \`${name}\` to ${to}`,
        '',
        `The version last recorded healthy in ${list(
          change.regions,
        )}: request #${source.pullRequestNumber} (${source.gpuProfile}, ${
          source.minReplicas
        } to ${source.maxReplicas} replicas, ${
          source.rollout
        }), healthy at ${healthyAt}. Git and the clusters agree again once merged.`,
        '',
        // The planner's account of what is deployed, without its own heading.
        ...plan.body.split('\n').slice(1),
      ].join('\n'),
      files: plan.files.map(f => ({
        path: f.path,
        region: f.region,
        cluster: f.cluster,
        content: f.content,
      })),
      request: { ...request, version: plan.version },
      gpus: plan.gpus,
      team: plan.team,
      policyResults: plan.policyResults,
    };
  }
}
