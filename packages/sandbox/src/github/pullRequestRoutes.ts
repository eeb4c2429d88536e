import type { Request, Response, Router } from 'express';
import type { GitRepository } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import type { PullRequestStore, StoredPullRequest } from './PullRequestStore';
import {
  MAIN_PROTECTION,
  StoredReview,
  codeOwnersFor,
  evaluateProtection,
} from './BranchProtection';
import { GitHubError, asyncHandler, paginate } from './restSupport';

/** What the pull request routes need from the REST router around them. */
export interface PullRequestContext {
  owner: string;
  repo: string;
  repository: GitRepository;
  store: PullRequestStore;
  users: GitHubUser[];
  /** Team slug (without the org) → member logins. */
  teams: Record<string, string[]>;
  webBaseUrl: () => string;
  apiBaseUrl: () => string;
  userJson: (user: GitHubUser) => Record<string, unknown>;
}

interface FileChange {
  filename: string;
  status: 'added' | 'modified' | 'removed';
  sha: string | null;
  before?: string;
}

/** GitHub's mergeable_state: dirty (conflicts), blocked (protection unmet), clean, or unknown. */
function mergeableState(
  open: boolean,
  conflict: boolean,
  protectionSatisfied: boolean,
) {
  if (!open) return 'unknown';
  if (conflict) return 'dirty';
  return protectionSatisfied ? 'clean' : 'blocked';
}

/** The pull request, review, label and status endpoints of the sandbox's GitHub. */
export function addPullRequestRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
) {
  const { owner, repo, repository, store, users } = ctx;
  const repoApi = () => `${ctx.apiBaseUrl()}/repos/${owner}/${repo}`;
  const userByLogin = (login: string) => users.find(u => u.login === login);
  const me = (res: Response): GitHubUser => res.locals.user;
  const teamOf = (handle: string) => handle.replace(/^@/, '').split('/')[1];

  async function headSha(pr: StoredPullRequest): Promise<string> {
    if (pr.state === 'closed' && pr.final_head_sha) return pr.final_head_sha;
    const sha = await repository.resolveRef(`refs/heads/${pr.head}`);
    if (!sha)
      throw new GitHubError(422, `head branch ${pr.head} no longer exists`);
    return sha;
  }

  async function baseSha(pr: StoredPullRequest): Promise<string> {
    return (await repository.resolveRef(`refs/heads/${pr.base}`))!;
  }

  /** Files a head commit changes against its merge base with the base commit. */
  async function changes(
    baseCommit: string,
    headCommit: string,
  ): Promise<FileChange[]> {
    const mergeBase =
      (await repository.mergeBase(baseCommit, headCommit)) ?? baseCommit;
    const before = await repository.files(mergeBase);
    const after = await repository.files(headCommit);
    const result: FileChange[] = [];
    for (const [path, file] of after) {
      const old = before.get(path);
      if (!old) result.push({ filename: path, status: 'added', sha: file.sha });
      else if (old.sha !== file.sha)
        result.push({
          filename: path,
          status: 'modified',
          sha: file.sha,
          before: old.sha,
        });
    }
    for (const [path, file] of before) {
      if (!after.has(path))
        result.push({
          filename: path,
          status: 'removed',
          sha: null,
          before: file.sha,
        });
    }
    return result.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  /** The tree of base with the pull request's changes applied, or undefined on a conflict. */
  async function mergedTree(
    pr: StoredPullRequest,
  ): Promise<string | undefined> {
    const head = await headSha(pr);
    const baseCommit = await baseSha(pr);
    const mergeBase =
      (await repository.mergeBase(baseCommit, head)) ?? baseCommit;
    const ours = await changes(mergeBase, baseCommit);
    const theirs = await changes(baseCommit, head);
    const oursByPath = new Map(ours.map(c => [c.filename, c]));
    for (const change of theirs) {
      const other = oursByPath.get(change.filename);
      if (other && other.sha !== change.sha) return undefined;
    }
    const files = await repository.files(baseCommit);
    const headFiles = await repository.files(head);
    for (const change of theirs) {
      if (change.status === 'removed') files.delete(change.filename);
      else files.set(change.filename, headFiles.get(change.filename)!);
    }
    return repository.writeTree(
      [...files].map(([path, f]) => ({
        path,
        mode: f.mode as '100644',
        type: 'blob',
        sha: f.sha,
      })),
    );
  }

  /** Approvals on an older head are dismissed when the head moves (stale review dismissal). */
  async function dismissStaleApprovals(pr: StoredPullRequest) {
    if (pr.state !== 'open') return;
    const head = await headSha(pr);
    let changed = false;
    for (const review of pr.reviews) {
      if (review.state === 'APPROVED' && review.commit_id !== head) {
        review.state = 'DISMISSED';
        changed = true;
      }
    }
    if (changed) store.save();
  }

  async function protection(pr: StoredPullRequest) {
    const codeowners = await readFile(await baseSha(pr), 'CODEOWNERS');
    const ownerTeams = new Set<string>();
    for (const change of await changes(await baseSha(pr), await headSha(pr))) {
      for (const handle of codeOwnersFor(codeowners ?? '', change.filename))
        ownerTeams.add(handle);
    }
    const ownerLogins = new Set(
      [...ownerTeams].flatMap(h =>
        h.includes('/') ? ctx.teams[teamOf(h)] ?? [] : [h.replace(/^@/, '')],
      ),
    );
    return evaluateProtection({
      rule: MAIN_PROTECTION,
      author: pr.user,
      headSha: await headSha(pr),
      reviews: pr.reviews,
      isCodeOwner: login => ownerLogins.has(login),
      codeOwnerTeams: [...ownerTeams].map(h => h.replace(/^@/, '')),
    });
  }

  async function readFile(
    commitSha: string,
    path: string,
  ): Promise<string | undefined> {
    const entry = await repository.entryAt(commitSha, path);
    if (!entry || entry.type !== 'blob') return undefined;
    return (await repository.readBlob(entry.sha))!.toString('utf8');
  }

  const labelJson = (name: string) => {
    const l = store.label(name);
    return {
      id: l.id,
      node_id: Buffer.from(`Label${l.id}`).toString('base64'),
      url: `${repoApi()}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      color: l.color,
      default: false,
      description: l.description,
    };
  };

  async function pullJson(pr: StoredPullRequest, detailed: boolean) {
    const head = await headSha(pr).catch(() => pr.final_head_sha ?? '');
    const baseCommit = await baseSha(pr);
    const author = userByLogin(pr.user)!;
    const branch = (ref: string, sha: string) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: { login: owner, type: 'Organization' },
      repo: {
        name: repo,
        full_name: `${owner}/${repo}`,
        default_branch: 'main',
        html_url: `${ctx.webBaseUrl()}/${owner}/${repo}`,
        url: repoApi(),
      },
    });
    const json: Record<string, unknown> = {
      url: `${repoApi()}/pulls/${pr.number}`,
      id: 5_000_000 + pr.number,
      node_id: Buffer.from(`PullRequest${pr.number}`).toString('base64'),
      html_url: `${ctx.webBaseUrl()}/${owner}/${repo}/pull/${pr.number}`,
      diff_url: `${ctx.webBaseUrl()}/${owner}/${repo}/pull/${pr.number}.diff`,
      issue_url: `${repoApi()}/issues/${pr.number}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: ctx.userJson(author),
      body: pr.body,
      labels: pr.labels.map(labelJson),
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.closed_at,
      merged_at: pr.merged_at,
      merge_commit_sha: pr.merge_commit_sha,
      requested_reviewers: pr.requested_reviewers.map(l =>
        ctx.userJson(userByLogin(l)!),
      ),
      requested_teams: pr.requested_teams.map(slug => ({
        name: slug,
        slug,
        id: 9000 + slug.length,
      })),
      head: branch(pr.head, head),
      base: branch(pr.base, baseCommit),
      draft: pr.draft,
      author_association: 'MEMBER',
    };
    if (detailed) {
      const files = pr.state === 'open' ? await changes(baseCommit, head) : [];
      const conflict = pr.state === 'open' ? !(await mergedTree(pr)) : false;
      const verdict =
        pr.state === 'open' ? await protection(pr) : { satisfied: false };
      Object.assign(json, {
        merged: pr.merged,
        mergeable: pr.state === 'open' ? !conflict : null,
        mergeable_state: mergeableState(
          pr.state === 'open',
          conflict,
          verdict.satisfied,
        ),
        merged_by: pr.merged_by
          ? ctx.userJson(userByLogin(pr.merged_by)!)
          : null,
        comments: 0,
        review_comments: 0,
        commits: 1,
        changed_files: files.length,
        additions: 0,
        deletions: 0,
      });
    }
    return json;
  }

  const findPull = (req: Request): StoredPullRequest => {
    const pr = store.get(Number(req.params.number));
    if (!pr) throw new GitHubError(404, 'Not Found');
    return pr;
  };

  router.get(
    `${base}/pulls`,
    asyncHandler(async (req, res) => {
      const state = (req.query.state as string) ?? 'open';
      if (!['open', 'closed', 'all'].includes(state))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      const headFilter =
        typeof req.query.head === 'string'
          ? req.query.head.split(':').pop()
          : undefined;
      const pulls = store
        .all()
        .filter(p => state === 'all' || p.state === state)
        .filter(p => !headFilter || p.head === headFilter)
        .filter(p => !req.query.base || p.base === req.query.base)
        .sort((a, b) => b.number - a.number);
      const page = paginate(req, res, pulls, `${repoApi()}/pulls`);
      res.json(await Promise.all(page.map(p => pullJson(p, false))));
    }),
  );

  router.post(
    `${base}/pulls`,
    asyncHandler(async (req, res) => {
      const {
        title,
        head: rawHead,
        base: baseRef = 'main',
        body = null,
        draft = false,
      } = req.body ?? {};
      if (typeof title !== 'string' || !title.trim())
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ]);
      if (typeof rawHead !== 'string')
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'missing_field' },
        ]);
      const head = rawHead.includes(':') ? rawHead.split(':')[1] : rawHead;
      const headCommit = await repository.resolveRef(`refs/heads/${head}`);
      const baseCommit = await repository.resolveRef(`refs/heads/${baseRef}`);
      if (!headCommit)
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'invalid' },
        ]);
      if (!baseCommit)
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'invalid' },
        ]);
      if (
        store
          .all()
          .some(
            p => p.state === 'open' && p.head === head && p.base === baseRef,
          )
      ) {
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${head}.`,
          },
        ]);
      }
      const changed = await changes(baseCommit, headCommit);
      if (changed.length === 0) {
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${baseRef} and ${head}`,
          },
        ]);
      }
      const author = me(res).login;
      // As GitHub does: code owners of the changed files are asked for review when the PR opens.
      const codeowners = (await readFile(baseCommit, 'CODEOWNERS')) ?? '';
      const handles = new Set(
        changed.flatMap(c => codeOwnersFor(codeowners, c.filename)),
      );
      const now = new Date().toISOString();
      const pr = store.add({
        title,
        body,
        user: author,
        head,
        base: baseRef,
        state: 'open',
        draft: Boolean(draft),
        merged: false,
        merged_by: null,
        merged_at: null,
        merge_commit_sha: null,
        closed_at: null,
        created_at: now,
        updated_at: now,
        final_head_sha: null,
        labels: [],
        requested_reviewers: [...handles]
          .filter(h => !h.includes('/'))
          .map(h => h.slice(1))
          .filter(l => l !== author),
        requested_teams: [...handles].filter(h => h.includes('/')).map(teamOf),
        reviews: [],
      });
      res
        .status(201)
        .setHeader('Location', `${repoApi()}/pulls/${pr.number}`)
        .json(await pullJson(pr, true));
    }),
  );

  router.get(
    `${base}/pulls/:number`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      await dismissStaleApprovals(pr);
      res.json(await pullJson(pr, true));
    }),
  );

  router.patch(
    `${base}/pulls/:number`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const { title, body, state } = req.body ?? {};
      if (state !== undefined && !['open', 'closed'].includes(state))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      if (title !== undefined && (typeof title !== 'string' || !title.trim()))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'invalid' },
        ]);
      if (pr.merged && state === 'open')
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message:
              'state cannot be changed. The pull request has been merged.',
          },
        ]);
      if (title !== undefined) pr.title = title;
      if (body !== undefined) pr.body = body;
      if (state === 'closed' && pr.state === 'open') {
        pr.final_head_sha = await headSha(pr);
        pr.state = 'closed';
        pr.closed_at = new Date().toISOString();
      } else if (state === 'open' && pr.state === 'closed') {
        pr.state = 'open';
        pr.closed_at = null;
        pr.final_head_sha = null;
      }
      pr.updated_at = new Date().toISOString();
      store.save();
      res.json(await pullJson(pr, true));
    }),
  );

  router.get(
    `${base}/pulls/:number/files`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const files = await changes(
        pr.merged
          ? (await repository.readCommit(pr.merge_commit_sha!))!.parent[0]
          : await baseSha(pr),
        await headSha(pr),
      );
      const out = [];
      for (const f of files) {
        const after = f.sha
          ? (await repository.readBlob(f.sha))!.toString('utf8').split('\n')
          : [];
        const before = f.before
          ? (await repository.readBlob(f.before))!.toString('utf8').split('\n')
          : [];
        if (after[after.length - 1] === '') after.pop();
        if (before[before.length - 1] === '') before.pop();
        const patch = [
          `@@ -${before.length ? 1 : 0},${before.length} +${
            after.length ? 1 : 0
          },${after.length} @@`,
          ...before.map(l => `-${l}`),
          ...after.map(l => `+${l}`),
        ].join('\n');
        out.push({
          sha: f.sha ?? f.before,
          filename: f.filename,
          status: f.status,
          additions: after.length,
          deletions: before.length,
          changes: after.length + before.length,
          blob_url: `${ctx.webBaseUrl()}/${owner}/${repo}/blob/${f.sha}/${
            f.filename
          }`,
          raw_url: `${ctx.webBaseUrl()}/${owner}/${repo}/raw/${f.sha}/${
            f.filename
          }`,
          contents_url: `${repoApi()}/contents/${f.filename}?ref=${pr.head}`,
          patch,
        });
      }
      res.json(
        paginate(req, res, out, `${repoApi()}/pulls/${pr.number}/files`),
      );
    }),
  );

  router.get(
    `${base}/pulls/:number/merge`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      if (!pr.merged) throw new GitHubError(404, 'Not Found');
      res.status(204).end();
    }),
  );

  router.put(
    `${base}/pulls/:number/merge`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      if (pr.state !== 'open')
        throw new GitHubError(405, 'Pull Request is not mergeable');
      const {
        sha,
        merge_method: method = 'merge',
        commit_title: commitTitle,
        commit_message: commitMessage,
      } = req.body ?? {};
      if (!['merge', 'squash', 'rebase'].includes(method))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'merge_method', code: 'invalid' },
        ]);
      const head = await headSha(pr);
      if (sha !== undefined && sha !== head)
        throw new GitHubError(
          409,
          'Head branch was modified. Review and try the merge again.',
        );
      await dismissStaleApprovals(pr);
      const verdict = await protection(pr);
      if (!verdict.satisfied)
        throw new GitHubError(
          405,
          verdict.reason ?? 'Pull Request is not mergeable',
        );
      const tree = await mergedTree(pr);
      if (!tree) throw new GitHubError(405, 'Pull Request is not mergeable');
      const baseCommit = await baseSha(pr);
      const merger = me(res);
      const merge = await repository.writeCommit({
        message: `${
          commitTitle ??
          (method === 'merge'
            ? `Merge pull request #${pr.number} from ${owner}/${pr.head}`
            : `${pr.title} (#${pr.number})`)
        }\n\n${commitMessage ?? pr.title}`,
        tree,
        parents: method === 'merge' ? [baseCommit, head] : [baseCommit],
        author: { name: merger.name, email: merger.email },
      });
      await repository.writeRef(`refs/heads/${pr.base}`, merge);
      const now = new Date().toISOString();
      Object.assign(pr, {
        state: 'closed',
        merged: true,
        merged_by: merger.login,
        merged_at: now,
        closed_at: now,
        updated_at: now,
        merge_commit_sha: merge,
        final_head_sha: head,
      });
      store.save();
      res.json({
        sha: merge,
        merged: true,
        message: 'Pull Request successfully merged',
      });
    }),
  );

  const reviewJson = (pr: StoredPullRequest, r: StoredReview) => ({
    id: r.id,
    node_id: Buffer.from(`Review${r.id}`).toString('base64'),
    user: ctx.userJson(userByLogin(r.user)!),
    body: r.body,
    state: r.state,
    html_url: `${ctx.webBaseUrl()}/${owner}/${repo}/pull/${
      pr.number
    }#pullrequestreview-${r.id}`,
    pull_request_url: `${repoApi()}/pulls/${pr.number}`,
    commit_id: r.commit_id,
    submitted_at: r.submitted_at,
    author_association: 'MEMBER',
  });

  router.get(
    `${base}/pulls/:number/reviews`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      await dismissStaleApprovals(pr);
      res.json(
        paginate(
          req,
          res,
          pr.reviews.map(r => reviewJson(pr, r)),
          `${repoApi()}/pulls/${pr.number}/reviews`,
        ),
      );
    }),
  );

  router.post(
    `${base}/pulls/:number/reviews`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const { event, body = '', commit_id: commitId } = req.body ?? {};
      const reviewer = me(res).login;
      const states: Record<string, StoredReview['state']> = {
        APPROVE: 'APPROVED',
        REQUEST_CHANGES: 'CHANGES_REQUESTED',
        COMMENT: 'COMMENTED',
      };
      if (event !== undefined && !states[event])
        throw new GitHubError(422, 'Unprocessable Entity', [
          `Event ${event} is not one of APPROVE, REQUEST_CHANGES, COMMENT`,
        ]);
      if (pr.state !== 'open')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not review a closed pull request',
        ]);
      if (reviewer === pr.user && event === 'APPROVE')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not approve your own pull request',
        ]);
      if (reviewer === pr.user && event === 'REQUEST_CHANGES')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not request changes on your own pull request',
        ]);
      if (
        (event === 'REQUEST_CHANGES' || event === 'COMMENT') &&
        !String(body).trim()
      ) {
        throw new GitHubError(422, 'Unprocessable Entity', [
          `Review Comment is missing a body for ${event}`,
        ]);
      }
      const review: StoredReview = {
        id: store.nextReviewId(),
        user: reviewer,
        state: event ? states[event] : 'PENDING',
        body: String(body),
        commit_id: typeof commitId === 'string' ? commitId : await headSha(pr),
        submitted_at: new Date().toISOString(),
      };
      pr.reviews.push(review);
      pr.requested_reviewers = pr.requested_reviewers.filter(
        l => l !== reviewer,
      );
      pr.updated_at = review.submitted_at;
      store.save();
      res.json(reviewJson(pr, review));
    }),
  );

  router.get(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      res.json({
        users: pr.requested_reviewers.map(l => ctx.userJson(userByLogin(l)!)),
        teams: pr.requested_teams.map(slug => ({ name: slug, slug })),
      });
    }),
  );

  const reviewerInput = (req: Request) => {
    const reviewers: unknown = req.body?.reviewers ?? [];
    const teams: unknown = req.body?.team_reviewers ?? [];
    if (!Array.isArray(reviewers) || !Array.isArray(teams))
      throw new GitHubError(422, 'Validation Failed', [
        { resource: 'PullRequest', field: 'reviewers', code: 'invalid' },
      ]);
    return { reviewers: reviewers.map(String), teams: teams.map(String) };
  };

  router.post(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const { reviewers, teams } = reviewerInput(req);
      for (const login of reviewers) {
        if (login === pr.user)
          throw new GitHubError(
            422,
            'Review cannot be requested from pull request author.',
          );
        if (!userByLogin(login))
          throw new GitHubError(
            422,
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.',
          );
      }
      for (const slug of teams)
        if (!ctx.teams[slug])
          throw new GitHubError(
            422,
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.',
          );
      pr.requested_reviewers = [
        ...new Set([...pr.requested_reviewers, ...reviewers]),
      ];
      pr.requested_teams = [...new Set([...pr.requested_teams, ...teams])];
      store.save();
      res.status(201).json(await pullJson(pr, false));
    }),
  );

  router.delete(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const { reviewers, teams } = reviewerInput(req);
      pr.requested_reviewers = pr.requested_reviewers.filter(
        l => !reviewers.includes(l),
      );
      pr.requested_teams = pr.requested_teams.filter(t => !teams.includes(t));
      store.save();
      res.json(await pullJson(pr, false));
    }),
  );

  router.get(
    `${base}/issues/:number/labels`,
    asyncHandler(async (req, res) => {
      res.json(findPull(req).labels.map(labelJson));
    }),
  );

  router.post(
    `${base}/issues/:number/labels`,
    asyncHandler(async (req, res) => {
      const pr = findPull(req);
      const labels: unknown = Array.isArray(req.body)
        ? req.body
        : req.body?.labels;
      if (
        !Array.isArray(labels) ||
        labels.some(l => typeof l !== 'string' || !l.trim())
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          { resource: 'Label', field: 'labels', code: 'invalid' },
        ]);
      }
      for (const name of labels as string[])
        if (!pr.labels.includes(name)) pr.labels.push(store.label(name).name);
      store.save();
      res.json(pr.labels.map(labelJson));
    }),
  );

  const resolveCommit = async (ref: string) => {
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : await repository.resolveRef(`refs/heads/${ref}`);
    if (!sha || !(await repository.readCommit(sha)))
      throw new GitHubError(422, `No commit found for SHA: ${ref}`);
    return sha;
  };

  // The sandbox runs no CI: every commit has no statuses and no check runs.
  router.get(
    `${base}/commits/:ref/status`,
    asyncHandler(async (req, res) => {
      const sha = await resolveCommit(req.params.ref);
      res.json({
        state: 'pending',
        statuses: [],
        sha,
        total_count: 0,
        repository: { full_name: `${owner}/${repo}` },
        commit_url: `${repoApi()}/commits/${sha}`,
        url: `${repoApi()}/commits/${sha}/status`,
      });
    }),
  );

  router.get(
    `${base}/commits/:ref/check-runs`,
    asyncHandler(async (req, res) => {
      await resolveCommit(req.params.ref);
      res.json({ total_count: 0, check_runs: [] });
    }),
  );
}
