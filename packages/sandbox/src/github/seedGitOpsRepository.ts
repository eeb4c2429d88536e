import fs from 'node:fs';
import path from 'node:path';
import { GITOPS_CHART_PATH } from '@internal/plugin-omnivision-common';
import type { GitRepository } from './GitRepository';

const SEED_AUTHOR = {
  name: 'OmniVision Platform',
  email: 'platform@omnivision.ai',
  date: '2026-11-01T08:00:00Z',
};

/** The project's `gitops/` folder: the GitOps repository's content (seed 001's layout). */
export const GITOPS_SEED_DIR = path.resolve(
  path.dirname(require.resolve('@internal/sandbox/package.json')),
  '../../gitops',
);

/** Every file under a folder, by its path relative to the folder (`/`-separated). */
function filesUnder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile())
        files[path.relative(root, full).split(path.sep).join('/')] =
          fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** The omnivision-gitops repository's first commit: the project's `gitops/` folder. */
export function gitOpsSeedFiles(): Record<string, string> {
  return filesUnder(GITOPS_SEED_DIR);
}

/**
 * Gives a new repository its first commit on main from `gitops/`; an existing one is left as
 * it is (a repository seeded before the chart existed is reported: `make sandbox-reset`).
 */
export async function seedGitOpsRepository(
  repository: GitRepository,
): Promise<void> {
  const main = await repository.resolveRef('refs/heads/main');
  if (main) {
    if (!(await repository.entryAt(main, `${GITOPS_CHART_PATH}/Chart.yaml`)))
      console.warn(
        `[sandbox] the GitOps repository in this data folder has no ${GITOPS_CHART_PATH}: its Applications will not render. Run \`make sandbox-reset\`.`,
      );
    return;
  }
  const tree = await repository.writeTree(
    Object.entries(gitOpsSeedFiles()).map(([file, content]) => ({
      path: file,
      mode: '100644',
      type: 'blob',
      content,
    })),
  );
  const commit = await repository.writeCommit({
    message: 'Seed the omnivision-gitops repository',
    tree,
    parents: [],
    author: SEED_AUTHOR,
  });
  await repository.writeRef('refs/heads/main', commit);
}
