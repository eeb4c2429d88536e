import type { Request } from 'express';
import type { GitRepository } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import type { PullRequestStore, StoredPullRequest } from './PullRequestStore';
import type { CommitStatusStore } from './CommitStatusStore';
import {
  StoredReview,
  codeOwnersFor,
  evaluateProtection,
  protectionOf,
} from './BranchProtection';
import { appIdOf } from './GitHubApp';
import { GitHubError } from './restSupport';
import { diffFile } from './fileDiff';
import { GitHubShapes, isoSeconds } from './restShapes';

/** What the pull request, review, label and status routes share. */
export interface PullRequestContext {
  owner: string;
  repo: string;
  repository: GitRepository;
  store: PullRequestStore;
  statuses: CommitStatusStore;
  users: GitHubUser[];
  /** Team slug (without the org) → member logins. */
  teams: Record<string, string[]>;
  shapes: GitHubShapes;
}

export interface FileChange {
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

export type PullRequestModel = ReturnType<typeof createPullRequestModel>;

/** The git work behind pull requests (changes, merges, protection) and their GitHub shapes. */
export function createPullRequestModel(ctx: PullRequestContext) {
  const { repository, store, users, shapes } = ctx;
  const userByLogin = (login: string) => users.find(u => u.login === login);
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

  /** The base a pull request's files and figures compare with: main before its merge. */
  async function comparedBase(pr: StoredPullRequest): Promise<string> {
    if (pr.merged && pr.merge_commit_sha) {
      const merge = await repository.readCommit(pr.merge_commit_sha);
      if (merge) return merge.parent[0];
    }
    return baseSha(pr);
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

  /** Each changed file with its line counts and unified patch. */
  async function fileDiffs(baseCommit: string, headCommit: string) {
    const blob = async (sha: string | null | undefined) =>
      sha ? repository.readBlob(sha) : undefined;
    const out = [];
    for (const change of await changes(baseCommit, headCommit)) {
      const diff = diffFile(await blob(change.before), await blob(change.sha));
      out.push({ ...change, ...diff });
    }
    return out;
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

  /**
   * Approvals on an older head are dismissed when the head moves (stale review dismissal, when
   * the base's protection asks for it); returns the reviews it dismissed.
   */
  async function dismissStaleApprovals(
    pr: StoredPullRequest,
  ): Promise<StoredReview[]> {
    if (pr.state !== 'open' || !protectionOf(pr.base)?.dismissStaleReviews)
      return [];
    const head = await headSha(pr);
    const dismissed = pr.reviews.filter(
      review => review.state === 'APPROVED' && review.commit_id !== head,
    );
    for (const review of dismissed) review.state = 'DISMISSED';
    if (dismissed.length) store.save();
    return dismissed;
  }

  async function readFile(
    commitSha: string,
    path: string,
  ): Promise<string | undefined> {
    const entry = await repository.entryAt(commitSha, path);
    if (!entry || entry.type !== 'blob') return undefined;
    return (await repository.readBlob(entry.sha))!.toString('utf8');
  }

  /** Whether the pull request may merge into its base under the base's protection rule. */
  async function protection(pr: StoredPullRequest) {
    const rule = protectionOf(pr.base);
    if (!rule) return { satisfied: true };
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
    const head = await headSha(pr);
    return evaluateProtection({
      rule,
      author: pr.user,
      headSha: head,
      reviews: pr.reviews,
      isCodeOwner: login => ownerLogins.has(login),
      codeOwnerTeams: [...ownerTeams].map(h => h.replace(/^@/, '')),
      statuses: ctx.statuses.forCommit(head),
      appIdOf,
    });
  }

  /** When main last moved: the committer time of its head commit. */
  async function pushedAt(): Promise<string> {
    const sha = await repository.resolveRef('refs/heads/main');
    const commit = sha && (await repository.readCommit(sha));
    return commit
      ? isoSeconds(new Date(commit.committer.timestamp * 1000))
      : isoSeconds(new Date());
  }

  /** The pull request as lists show it (pull-request-simple). */
  async function simpleJson(pr: StoredPullRequest) {
    const head = await headSha(pr).catch(() => pr.final_head_sha ?? '');
    return shapes.pullRequestSimple(
      pr,
      { head, base: await baseSha(pr), pushedAt: await pushedAt() },
      {
        author: userByLogin(pr.user)!,
        reviewers: pr.requested_reviewers.map(l => userByLogin(l)!),
        labels: pr.labels.map(name => store.label(name)),
      },
    );
  }

  /** The pull request as `GET /pulls/{n}` shows it (pull-request), with its figures. */
  async function fullJson(pr: StoredPullRequest) {
    const simple = await simpleJson(pr);
    const open = pr.state === 'open';
    const head = simple.head.sha;
    const diffs = head ? await fileDiffs(await comparedBase(pr), head) : [];
    const conflict = open ? !(await mergedTree(pr)) : false;
    const verdict = open ? await protection(pr) : { satisfied: false };
    const commits = head
      ? await repository.commitsBetween(await comparedBase(pr), head)
      : [];
    return shapes.pullRequest(simple, {
      merged: pr.merged,
      mergeable: open ? !conflict : null,
      mergeableState: mergeableState(open, conflict, verdict.satisfied),
      mergedBy: pr.merged_by ? userByLogin(pr.merged_by)! : null,
      commits: commits.length,
      additions: diffs.reduce((n, d) => n + d.additions, 0),
      deletions: diffs.reduce((n, d) => n + d.deletions, 0),
      changedFiles: diffs.length,
    });
  }

  const findPull = (req: Request): StoredPullRequest => {
    const pr = store.get(Number(req.params.number));
    if (!pr) throw new GitHubError(404, 'Not Found');
    return pr;
  };

  return {
    userByLogin,
    teamOf,
    headSha,
    baseSha,
    comparedBase,
    changes,
    fileDiffs,
    mergedTree,
    dismissStaleApprovals,
    readFile,
    protection,
    pushedAt,
    simpleJson,
    fullJson,
    findPull,
  };
}
