import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isModelValuesPathIn,
  REQUEST_BRANCH_PREFIXES,
  isPortalBranch,
} from '@internal/plugin-omnivision-common';
import type { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import { openGitOpsPullRequestExamples } from './openGitOpsPullRequest.examples';

const LABEL = /^[a-z0-9][a-z0-9 ._-]{0,49}$/;

/**
 * `omnivision:gitops:pull-request`: opens the deployment's (or rollback's, or retirement's) pull
 * request in the GitOps repository as the portal (at most 6 REST calls for a new one), or updates
 * the open one of the same request. Only `<region folder>/models/<model>.yaml` files, written or
 * removed (`delete: true`), only portal branches.
 */
export function createOpenGitOpsPullRequestAction(options: {
  gitOps: GitOpsPullRequests;
  gitopsFolders: string[];
}) {
  return createTemplateAction({
    id: 'omnivision:gitops:pull-request',
    description:
      'Opens (or updates) the pull request of a model deployment, rollback or retirement in the GitOps repository through the Git Data API: model values files written, or removed with delete: true.',
    examples: openGitOpsPullRequestExamples,
    supportsDryRun: true,
    schema: {
      input: {
        branch: z =>
          z
            .string()
            .describe(
              'The branch of the request (omnivision:deployment:render)',
            ),
        title: z => z.string().min(1).max(256),
        body: z => z.string().max(60_000),
        files: z =>
          z
            .array(
              z.union([
                z.object({
                  path: z.string(),
                  content: z.string().max(100_000),
                }),
                z.object({ path: z.string(), delete: z.literal(true) }),
              ]),
            )
            .min(1)
            .max(20)
            .describe(
              'Model values files: { path, content } to write, { path, delete: true } to remove',
            ),
        labels: z =>
          z
            .array(z.string())
            .default(['deployment', 'hipaa'])
            .describe('Labels of the pull request'),
      },
      output: {
        pullRequestUrl: z => z.string(),
        pullRequestNumber: z => z.number(),
      },
    },
    async handler(ctx) {
      const { branch, title, body, files, labels } = ctx.input;
      // Everything is checked before anything is written.
      if (!isPortalBranch(branch)) {
        throw new InputError(
          `refusing branch ${JSON.stringify(
            branch,
          )}: the portal only writes omnivision/<deploy|rollback|retire>-<model>-<digest> branches`,
        );
      }
      for (const file of files) {
        if (!isModelValuesPathIn(file.path, options.gitopsFolders)) {
          throw new InputError(
            `refusing to write ${JSON.stringify(
              file.path,
            )}: deployments only write or remove <region folder>/models/<model>.yaml (${options.gitopsFolders.join(
              ', ',
            )})`,
          );
        }
      }
      // Only a retirement removes files; a deployment or a rollback writes them.
      if (
        files.some(f => 'delete' in f && f.delete) &&
        !branch.startsWith(REQUEST_BRANCH_PREFIXES.retire)
      ) {
        throw new InputError(
          `refusing to remove files on ${branch}: only a retirement's ${REQUEST_BRANCH_PREFIXES.retire}<model>-<digest> branch removes a model's values files`,
        );
      }
      if (new Set(files.map(f => f.path)).size !== files.length)
        throw new InputError('a file is listed twice');
      for (const label of labels) {
        if (!LABEL.test(label))
          throw new InputError(`invalid label ${JSON.stringify(label)}`);
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would open a pull request from ${branch} with ${files.length} files`,
        );
        ctx.output('pullRequestUrl', '');
        ctx.output('pullRequestNumber', 0);
        return;
      }
      const pull = await options.gitOps.openOrUpdate({
        branch,
        title,
        body,
        labels,
        files,
      });
      ctx.logger.info(
        `${pull.created ? 'opened' : 'updated'} pull request #${pull.number}: ${
          pull.url
        }`,
      );
      ctx.output('pullRequestUrl', pull.url);
      ctx.output('pullRequestNumber', pull.number);
    },
  });
}
