import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DeploymentFileChange,
  DeploymentPreview,
  DeploymentRequest,
} from '@internal/plugin-omnivision-common';
import type {
  DeploymentPlanner,
  GitOpsPullRequests,
} from '@internal/plugin-omnivision-node';
import { createTwoFilesPatch } from 'diff';

/**
 * The deploy form's review: checks a request as the person asking, with the same planner the
 * scaffolder actions use, and shows each file it would write as a diff against the GitOps
 * repository's base branch, with the cost. Reads only; writes nothing anywhere.
 */
export class DeploymentPreviewer {
  readonly #planner: DeploymentPlanner;
  readonly #catalog: CatalogService;
  readonly #gitOps: GitOpsPullRequests;

  static create(options: {
    planner: DeploymentPlanner;
    catalog: CatalogService;
    gitOps: GitOpsPullRequests;
  }): DeploymentPreviewer {
    return new DeploymentPreviewer(
      options.planner,
      options.catalog,
      options.gitOps,
    );
  }

  private constructor(
    planner: DeploymentPlanner,
    catalog: CatalogService,
    gitOps: GitOpsPullRequests,
  ) {
    this.#planner = planner;
    this.#catalog = catalog;
    this.#gitOps = gitOps;
  }

  async preview(
    request: DeploymentRequest,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<DeploymentPreview> {
    const ref = credentials.principal.userEntityRef;
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    const user = entity && isUserEntity(entity) ? entity : undefined;
    const { violations, plan } = await this.#planner.check(request, {
      credentials,
      user,
      ref,
    });
    const { baseBranch } = await this.#gitOps.repository();
    if (!plan) {
      return { violations, baseBranch, files: [] };
    }
    const base = await this.#gitOps.readBaseFiles(plan.files.map(f => f.path));
    const files = plan.files.map((file): DeploymentFileChange => {
      const before = base.get(file.path);
      let status: DeploymentFileChange['status'] = 'modified';
      if (before === undefined) status = 'added';
      else if (before === file.content) status = 'unchanged';
      return {
        region: file.region,
        cluster: file.cluster,
        path: file.path,
        status,
        diff:
          status === 'unchanged'
            ? ''
            : createTwoFilesPatch(
                before === undefined ? '/dev/null' : `a/${file.path}`,
                `b/${file.path}`,
                before ?? '',
                file.content,
                undefined,
                undefined,
                { context: 3 },
              ),
      };
    });
    return {
      violations,
      baseBranch,
      branch: plan.branch,
      gpus: plan.gpus,
      cost: plan.cost,
      files,
    };
  }
}
