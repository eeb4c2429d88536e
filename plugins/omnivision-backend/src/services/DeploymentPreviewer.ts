import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DeploymentFileChange,
  DeploymentPreview,
  DeploymentRequest,
} from '@internal/plugin-omnivision-common';
import {
  DeploymentPlanner,
  GitHubClient,
  GitOpsRepository,
  createGitHubClient,
} from '@internal/plugin-omnivision-node';
import { createTwoFilesPatch } from 'diff';

/**
 * The deploy form's review: checks a request as the person asking, with the same planner the
 * scaffolder actions use, and shows each file it would write as a diff against the GitOps
 * repository's base branch, with the cost. Reads only; writes nothing anywhere.
 */
export class DeploymentPreviewer {
  static create(options: {
    planner: DeploymentPlanner;
    catalog: CatalogService;
    repository: () => Promise<GitOpsRepository>;
  }): DeploymentPreviewer {
    return new DeploymentPreviewer(
      options.planner,
      options.catalog,
      options.repository,
    );
  }

  private constructor(
    private readonly planner: DeploymentPlanner,
    private readonly catalog: CatalogService,
    private readonly repository: () => Promise<GitOpsRepository>,
  ) {}

  async preview(
    request: DeploymentRequest,
    credentials: BackstageCredentials<{ type: 'user'; userEntityRef: string }>,
  ): Promise<DeploymentPreview> {
    const ref = credentials.principal.userEntityRef;
    const entity = await this.catalog.getEntityByRef(ref, { credentials });
    const user = entity && isUserEntity(entity) ? entity : undefined;
    const { violations, plan } = await this.planner.check(request, {
      credentials,
      user,
      ref,
    });
    const repository = await this.repository();
    if (!plan) {
      return { violations, baseBranch: repository.baseBranch, files: [] };
    }
    const github = createGitHubClient(repository);
    const files = await Promise.all(
      plan.files.map(async (file): Promise<DeploymentFileChange> => {
        const before = await this.#baseContent(github, repository, file.path);
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
      }),
    );
    return {
      violations,
      baseBranch: repository.baseBranch,
      branch: plan.branch,
      gpus: plan.gpus,
      cost: plan.cost,
      files,
    };
  }

  /** The file on the base branch, or undefined when it does not exist there. */
  async #baseContent(
    github: GitHubClient,
    repository: GitOpsRepository,
    path: string,
  ): Promise<string | undefined> {
    try {
      const { data } = await github.rest.repos.getContent({
        owner: repository.owner,
        repo: repository.repo,
        path,
        ref: repository.baseBranch,
      });
      if (Array.isArray(data) || data.type !== 'file') {
        throw new Error(`${path} on ${repository.baseBranch} is not a file`);
      }
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }
}
