import type { GitRepository } from '../GitRepository';
import type { PushedCommit } from './webhookShapes';

/** A commit with the files it added, removed and modified against its first parent. */
export async function pushedCommit(
  repository: GitRepository,
  sha: string,
): Promise<PushedCommit> {
  const commit = (await repository.readCommit(sha))!;
  const before = commit.parent[0]
    ? await repository.files(commit.parent[0])
    : new Map<string, { sha: string }>();
  const after = await repository.files(sha);
  const added: string[] = [];
  const modified: string[] = [];
  for (const [path, file] of after) {
    const old = before.get(path);
    if (!old) added.push(path);
    else if (old.sha !== file.sha) modified.push(path);
  }
  const removed = [...before.keys()].filter(path => !after.has(path));
  return { sha, commit, added, removed, modified };
}

/**
 * The commits a push brings: those reachable from `after` and not from `exclude` (the ref's
 * old tip, or the default branch for a new ref), parents before children.
 */
export async function pushedCommits(
  repository: GitRepository,
  after: string,
  exclude?: string,
): Promise<PushedCommit[]> {
  const excluded = new Set<string>();
  const reach = async (start: string, into: Set<string>) => {
    const queue = [start];
    while (queue.length) {
      const sha = queue.pop()!;
      if (into.has(sha)) continue;
      const commit = await repository.readCommit(sha);
      if (!commit) continue;
      into.add(sha);
      queue.push(...commit.parent);
    }
  };
  if (exclude) await reach(exclude, excluded);
  // Depth-first, each commit after its parents.
  const ordered: string[] = [];
  const visited = new Set<string>();
  const visit = async (sha: string) => {
    if (visited.has(sha) || excluded.has(sha)) return;
    visited.add(sha);
    const commit = await repository.readCommit(sha);
    if (!commit) return;
    for (const parent of commit.parent) await visit(parent);
    ordered.push(sha);
  };
  await visit(after);
  return Promise.all(ordered.map(sha => pushedCommit(repository, sha)));
}
