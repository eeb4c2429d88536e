import {
  DeploymentRegion,
  DeploymentRequest,
  GpuProfile,
  TeamGpuHolding,
  TeamGpusHeld,
  deploymentBranch,
  modelNameOf,
  parseModelValuesPath,
  ownerEntityRef,
  readModelValuesHolding,
  requestedGpus,
} from '@internal/plugin-omnivision-common';
import type { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import type { DeploymentRequestStore } from './DeploymentRequestStore';

/** A team named by a group entity ref, as quotas are keyed (`data-science` → `group:default/data-science`). */
const teamRef = ownerEntityRef;

/** Whether a recorded request deploys what a request asks for: model, version, profile, regions, replicas, rollout. */
function deploysTheSame(
  record: DeploymentRequest,
  request: DeploymentRequest,
): boolean {
  const regions = (r: DeploymentRequest) => [...r.regions].sort().join(',');
  return (
    modelNameOf(record.model) === modelNameOf(request.model) &&
    (record.version ?? '') === (request.version ?? '') &&
    record.gpuProfile === request.gpuProfile &&
    regions(record) === regions(request) &&
    record.minReplicas === request.minReplicas &&
    record.maxReplicas === request.maxReplicas &&
    record.rollout === request.rollout
  );
}

/**
 * What a team already holds across the fleet, for the quota rule: the models it owns on the GitOps
 * repository's `main` (their values files, GPUs per replica × the most replicas), and its other
 * open requests. A request does not count against itself (its own pull request, or the open
 * rollback that deploys exactly it, when the rollback template runs again), and what a
 * request would replace is counted once: a model's file on `main` in a region is left out when the
 * request being checked, or an open request, writes that model in that region.
 */
export class TeamGpuHoldingsReader {
  readonly #gitOps: GitOpsPullRequests;
  readonly #store: DeploymentRequestStore;
  readonly #profiles: GpuProfile[];
  readonly #regions: DeploymentRegion[];

  static create(options: {
    gitOps: GitOpsPullRequests;
    store: DeploymentRequestStore;
    profiles: GpuProfile[];
    regions: DeploymentRegion[];
  }): TeamGpuHoldingsReader {
    return new TeamGpuHoldingsReader(options);
  }

  private constructor(options: {
    gitOps: GitOpsPullRequests;
    store: DeploymentRequestStore;
    profiles: GpuProfile[];
    regions: DeploymentRegion[];
  }) {
    this.#gitOps = options.gitOps;
    this.#store = options.store;
    this.#profiles = options.profiles;
    this.#regions = options.regions;
  }

  async held(team: string, request: DeploymentRequest): Promise<TeamGpusHeld> {
    const holdings: TeamGpuHolding[] = [];
    const branch = deploymentBranch(request);
    // The request itself: its own branch, or an open rollback that deploys exactly it.
    const open = (await this.#store.list({ states: ['open'] })).filter(
      ({ record }) =>
        record.branch !== branch &&
        !(record.kind === 'rollback' && deploysTheSame(record, request)),
    );
    /**
     * Model and region pairs that a pull request would replace on `main`. An open retirement
     * frees nothing until it is merged: the model keeps its GPUs meanwhile.
     */
    const replaced = new Set(
      [
        request,
        ...open.map(o => o.record).filter(r => r.kind !== 'retire'),
      ].flatMap(r =>
        r.regions.map(region => `${modelNameOf(r.model)}|${region}`),
      ),
    );
    const folders = new Map(this.#regions.map(r => [r.gitopsFolder, r.id]));
    const files = await this.#gitOps.readBaseModelFiles([...folders.keys()]);
    for (const file of files) {
      const where = parseModelValuesPath(file.path)!;
      const region = folders.get(where.gitopsFolder)!;
      if (replaced.has(`${where.model}|${region}`)) continue;
      const holding = readModelValuesHolding(file.content);
      if (!holding || holding.gpus === 0 || teamRef(holding.owner) !== team)
        continue;
      holdings.push({
        source: `${where.model} on main in ${region}`,
        gpus: holding.gpus,
      });
    }
    for (const { record } of open) {
      if (teamRef(record.team) !== team) continue;
      const profile = this.#profiles.find(p => p.id === record.gpuProfile);
      if (!profile) continue;
      holdings.push({
        source: `open request #${record.pullRequestNumber} (${modelNameOf(
          record.model,
        )})`,
        gpus: requestedGpus(record, profile),
      });
    }
    return {
      gpus: holdings.reduce((sum, h) => sum + h.gpus, 0),
      holdings,
    };
  }
}
