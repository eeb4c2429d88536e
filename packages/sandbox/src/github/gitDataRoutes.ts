import type { Router } from 'express';
import type { GitRepository, TreeEntryInput } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import { GitHubShapes, nodeId } from './restShapes';
import type { RepositoryEvents } from './webhooks/RepositoryEvents';

/**
 * GitHub's Git Data API on the sandbox's repository: refs, blobs, trees and commits. Every ref
 * created, moved or deleted is a push (events.refUpdated).
 */
export function addGitDataRoutes(
  router: Router,
  base: string,
  ctx: {
    repository: GitRepository;
    shapes: GitHubShapes;
    events: RepositoryEvents;
  },
) {
  const { repository, shapes, events } = ctx;
  const commitJson = async (sha: string) =>
    shapes.gitCommit(sha, (await repository.readCommit(sha))!);
  const treeJson = async (sha: string, recursive = false) => ({
    sha,
    url: `${shapes.repoApi()}/git/trees/${sha}`,
    tree: (await repository.readTree(sha, recursive)).map(e => ({
      ...e,
      url: `${shapes.repoApi()}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${
        e.sha
      }`,
    })),
    truncated: false,
  });

  router.get(
    `${base}/git/ref/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      const sha = await repository.resolveRef(ref);
      if (!sha) throw new GitHubError(404, 'Not Found');
      res.json(shapes.gitRef(ref, sha));
    }),
  );

  router.get(
    `${base}/git/matching-refs/*`,
    asyncHandler(async (req, res) => {
      const prefix = `refs/${req.params[0]}`;
      const refs = (await repository.listRefs()).filter(r =>
        r.ref.startsWith(prefix),
      );
      res.json(
        paginate(
          req,
          res,
          refs.map(r => shapes.gitRef(r.ref, r.sha)),
          `${shapes.repoApi()}/git/matching-refs/${req.params[0]}`,
        ),
      );
    }),
  );

  router.post(
    `${base}/git/refs`,
    asyncHandler(async (req, res) => {
      const { ref, sha } = req.body ?? {};
      if (
        typeof ref !== 'string' ||
        !/^refs\/(heads|tags)\/[^\s~^:?*[\\]+$/.test(ref) ||
        ref.includes('..')
      ) {
        throw new GitHubError(422, `${ref} is not a valid ref name.`);
      }
      if (
        typeof sha !== 'string' ||
        (await repository.objectType(sha)) !== 'commit'
      ) {
        throw new GitHubError(422, 'Object does not exist');
      }
      if (await repository.resolveRef(ref))
        throw new GitHubError(422, 'Reference already exists');
      await repository.writeRef(ref, sha);
      await events.refUpdated({
        ref,
        before: null,
        after: sha,
        forced: false,
        pusher: res.locals.user,
      });
      res
        .status(201)
        .setHeader('Location', `${shapes.repoApi()}/git/${ref}`)
        .json(shapes.gitRef(ref, sha));
    }),
  );

  router.patch(
    `${base}/git/refs/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      const { sha, force } = req.body ?? {};
      const current = await repository.resolveRef(ref);
      if (!current) throw new GitHubError(422, 'Reference does not exist');
      if (
        typeof sha !== 'string' ||
        (await repository.objectType(sha)) !== 'commit'
      )
        throw new GitHubError(422, 'Object does not exist');
      const fastForward = await repository.isAncestor(current, sha);
      if (!force && !fastForward)
        throw new GitHubError(422, 'Update is not a fast forward');
      await repository.writeRef(ref, sha);
      if (sha !== current)
        await events.refUpdated({
          ref,
          before: current,
          after: sha,
          forced: !fastForward,
          pusher: res.locals.user,
        });
      res.json(shapes.gitRef(ref, sha));
    }),
  );

  router.delete(
    `${base}/git/refs/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      const current = await repository.resolveRef(ref);
      if (!current) throw new GitHubError(422, 'Reference does not exist');
      await repository.deleteRef(ref);
      await events.refUpdated({
        ref,
        before: current,
        after: null,
        forced: false,
        pusher: res.locals.user,
      });
      res.status(204).end();
    }),
  );

  router.post(
    `${base}/git/blobs`,
    asyncHandler(async (req, res) => {
      const { content, encoding = 'utf-8' } = req.body ?? {};
      if (
        typeof content !== 'string' ||
        !['utf-8', 'base64'].includes(encoding)
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          { resource: 'Blob', field: 'content', code: 'missing_field' },
        ]);
      }
      const sha = await repository.writeBlob(
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      );
      res
        .status(201)
        .json({ sha, url: `${shapes.repoApi()}/git/blobs/${sha}` });
    }),
  );

  router.get(
    `${base}/git/blobs/:sha`,
    asyncHandler(async (req, res) => {
      const blob = await repository.readBlob(req.params.sha);
      if (!blob) throw new GitHubError(404, 'Not Found');
      res.json({
        sha: req.params.sha,
        node_id: nodeId('Blob:', req.params.sha),
        size: blob.length,
        encoding: 'base64',
        content: blob.toString('base64'),
        url: `${shapes.repoApi()}/git/blobs/${req.params.sha}`,
      });
    }),
  );

  router.post(
    `${base}/git/trees`,
    asyncHandler(async (req, res) => {
      const { tree, base_tree: baseTree } = req.body ?? {};
      if (!Array.isArray(tree))
        throw new GitHubError(422, 'Invalid tree info', [
          { resource: 'Tree', field: 'tree', code: 'missing_field' },
        ]);
      for (const e of tree as TreeEntryInput[]) {
        if (
          typeof e?.path !== 'string' ||
          !['100644', '100755', '040000', '160000', '120000'].includes(
            e.mode,
          ) ||
          !['blob', 'tree', 'commit'].includes(e.type)
        ) {
          throw new GitHubError(422, 'Invalid tree info');
        }
        if ((e.content === undefined) === (e.sha === undefined))
          throw new GitHubError(
            422,
            'Must supply either tree.sha or tree.content',
          );
      }
      const sha = await repository.writeTree(tree, baseTree);
      res.status(201).json(await treeJson(sha));
    }),
  );

  router.get(
    `${base}/git/trees/:sha`,
    asyncHandler(async (req, res) => {
      let sha = req.params.sha;
      const commit = await repository.readCommit(sha);
      if (commit) sha = commit.tree;
      else if ((await repository.objectType(sha)) !== 'tree') {
        const resolved = await repository.resolveRef(
          `refs/heads/${req.params.sha}`,
        );
        const branchCommit =
          resolved && (await repository.readCommit(resolved));
        if (!branchCommit) throw new GitHubError(404, 'Not Found');
        sha = branchCommit.tree;
      }
      const recursive =
        req.query.recursive !== undefined &&
        req.query.recursive !== '0' &&
        req.query.recursive !== 'false';
      res.json(await treeJson(sha, recursive));
    }),
  );

  router.post(
    `${base}/git/commits`,
    asyncHandler(async (req, res) => {
      const { message, tree, parents = [], author, committer } = req.body ?? {};
      if (
        typeof message !== 'string' ||
        typeof tree !== 'string' ||
        !Array.isArray(parents)
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          {
            resource: 'Commit',
            field: typeof message !== 'string' ? 'message' : 'tree',
            code: 'missing_field',
          },
        ]);
      }
      const user: GitHubUser = res.locals.user;
      const sha = await repository.writeCommit({
        message,
        tree,
        parents,
        author: author ?? { name: user.name, email: user.email },
        committer: committer ??
          author ?? { name: user.name, email: user.email },
      });
      res.status(201).json(await commitJson(sha));
    }),
  );

  router.get(
    `${base}/git/commits/:sha`,
    asyncHandler(async (req, res) => {
      if (!(await repository.readCommit(req.params.sha)))
        throw new GitHubError(404, 'Not Found');
      res.json(await commitJson(req.params.sha));
    }),
  );
}
