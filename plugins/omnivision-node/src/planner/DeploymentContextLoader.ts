import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { UserEntity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError } from '@backstage/errors';
import {
  DeploymentPolicyContext,
  DeploymentRequest,
  ModelSpec,
  ModelVersion,
  TeamGpusHeld,
  readModelVersions,
} from '@internal/plugin-omnivision-common';
import type { DeploymentConfig } from './DeploymentConfig';

/**
 * What a team already holds across the fleet besides a request: given by the OmniVision backend,
 * which knows the GitOps repository's `main` and the open requests.
 *
 * @public
 */
export type TeamGpuHoldingsSource = (
  team: string,
  request: DeploymentRequest,
) => Promise<TeamGpusHeld>;

/**
 * Gathers what the deployment policy needs besides the request: the model's catalog entity
 * (read as the person who asked), the configured profiles and regions, the GPU quota of the
 * person's team (the first of their groups that has one) and, when a holdings source is given,
 * what that team already holds across the fleet.
 *
 * @public
 */
export class DeploymentContextLoader {
  static create(options: {
    config: DeploymentConfig;
    catalog: CatalogService;
    holdings?: TeamGpuHoldingsSource;
  }): DeploymentContextLoader {
    return new DeploymentContextLoader(
      options.config,
      options.catalog,
      options.holdings,
    );
  }

  private constructor(
    private readonly config: DeploymentConfig,
    private readonly catalog: CatalogService,
    private readonly holdings?: TeamGpuHoldingsSource,
  ) {}

  async load(
    request: DeploymentRequest,
    requester: { credentials: BackstageCredentials; user?: UserEntity },
  ): Promise<DeploymentPolicyContext> {
    const teams = (requester.user?.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => r.targetRef.toLocaleLowerCase('en-US'));
    const team = teams.find(t => this.config.teamQuotas.has(t));
    return {
      ...(team &&
        this.holdings && {
          teamGpusHeld: await this.holdings(team, request),
        }),
      model: await this.#model(request.model, requester.credentials),
      profiles: this.config.profiles,
      regions: this.config.regions,
      // No team with a quota: nothing may be deployed.
      teamGpuQuota: team ? this.config.teamQuotas.get(team) : 0,
      team:
        team ??
        `your teams (${teams.join(', ') || 'none'}), which have no GPU quota`,
    };
  }

  async #model(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<ModelSpec | undefined> {
    // A malformed ref is refused by the policy; only a well-formed one is looked up.
    if (!/^(resource:)?([a-z0-9-]+\/)?[a-z0-9-]+$/i.test(ref)) return undefined;
    const full = ref.includes(':') ? ref : `resource:${ref}`;
    const entity = await this.catalog.getEntityByRef(full, { credentials });
    if (!entity) return undefined;
    const spec = (entity.spec ?? {}) as Record<string, any>;
    const model = (spec.model ?? {}) as Record<string, any>;
    return {
      name: entity.metadata.name,
      kind: entity.kind,
      type: String(spec.type ?? ''),
      owner: String(spec.owner ?? ''),
      imageRepository: model.imageRepository,
      versions: this.#versions(entity.metadata.name, model.versions),
      imageDigest: model.imageDigest,
      signed: model.signed,
      minGpuMemoryGiB: model.minGpuMemoryGiB,
      dataClassification: model.dataClassification,
    };
  }

  /**
   * `spec.model.versions` as the one schema of it reads them. A list that does not meet it
   * refuses the request (400) with what is wrong: the catalog's data is to be fixed, and no
   * version of it can be trusted meanwhile.
   */
  #versions(name: string, raw: unknown): ModelVersion[] | undefined {
    const read = readModelVersions(raw);
    if (read.problems !== undefined) {
      throw new InputError(
        `the catalog's versions of ${name} are not valid: ${read.problems}`,
      );
    }
    return read.versions;
  }
}
