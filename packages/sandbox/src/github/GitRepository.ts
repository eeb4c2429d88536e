import fs from 'node:fs';
import git from 'isomorphic-git';

export interface TreeEntryInput {
  path: string;
  mode: '100644' | '100755' | '040000' | '160000' | '120000';
  type: 'blob' | 'tree' | 'commit';
  /** An existing object, or null to delete the path from the base tree. */
  sha?: string | null;
  /** File content, stored as a new blob. */
  content?: string;
}

export interface Signature {
  name: string;
  email: string;
  date?: string;
}

/** Thrown for input git rejects: the REST layer answers 422 with the message. */
export class GitInputError extends Error {}

/** A bare git repository on disk, read and written through isomorphic-git. */
export class GitRepository {
  static async open(gitdir: string): Promise<GitRepository> {
    const exists = fs.existsSync(`${gitdir}/HEAD`);
    if (!exists) {
      fs.mkdirSync(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    }
    return new GitRepository(gitdir);
  }

  private constructor(readonly gitdir: string) {}

  get #ctx() {
    return { fs, gitdir: this.gitdir };
  }

  async resolveRef(ref: string): Promise<string | undefined> {
    try {
      return await git.resolveRef({ ...this.#ctx, ref });
    } catch {
      return undefined;
    }
  }

  /** Every ref under refs/ with the sha it points to, sorted by name. */
  async listRefs(): Promise<Array<{ ref: string; sha: string }>> {
    const branches = await git.listBranches(this.#ctx);
    const tags = await git.listTags(this.#ctx);
    const refs = [
      ...branches.map(b => `refs/heads/${b}`),
      ...tags.map(t => `refs/tags/${t}`),
    ].sort();
    return Promise.all(
      refs.map(async ref => ({
        ref,
        sha: await git.resolveRef({ ...this.#ctx, ref }),
      })),
    );
  }

  async writeRef(ref: string, sha: string) {
    await git.writeRef({ ...this.#ctx, ref, value: sha, force: true });
  }

  async deleteRef(ref: string) {
    await git.deleteRef({ ...this.#ctx, ref });
  }

  async writeBlob(content: Buffer): Promise<string> {
    return git.writeBlob({ ...this.#ctx, blob: new Uint8Array(content) });
  }

  async readBlob(oid: string): Promise<Buffer | undefined> {
    try {
      const { blob } = await git.readBlob({ ...this.#ctx, oid });
      return Buffer.from(blob);
    } catch {
      return undefined;
    }
  }

  async objectType(oid: string): Promise<string | undefined> {
    try {
      const { type } = await git.readObject({
        ...this.#ctx,
        oid,
        format: 'parsed',
      });
      return type;
    } catch {
      return undefined;
    }
  }

  /** The entries of a tree, recursively as full paths when asked. */
  async readTree(
    oid: string,
    recursive = false,
    prefix = '',
  ): Promise<
    Array<{
      path: string;
      mode: string;
      type: string;
      sha: string;
      size?: number;
    }>
  > {
    const { tree } = await git.readTree({ ...this.#ctx, oid });
    const entries: Array<{
      path: string;
      mode: string;
      type: string;
      sha: string;
      size?: number;
    }> = [];
    for (const e of tree) {
      const path = prefix + e.path;
      const mode = e.mode === '40000' ? '040000' : e.mode;
      const size =
        e.type === 'blob' ? (await this.readBlob(e.oid))!.length : undefined;
      entries.push({
        path,
        mode,
        type: e.type,
        sha: e.oid,
        ...(size !== undefined ? { size } : {}),
      });
      if (recursive && e.type === 'tree')
        entries.push(...(await this.readTree(e.oid, true, `${path}/`)));
    }
    return entries;
  }

  /**
   * Writes a tree from a base tree and entries by full path (GitHub's POST /git/trees):
   * content becomes a new blob, sha null deletes the path (a path the tree does not hold is
   * refused, as GitHub answers 422 `GitRPC::BadObjectState`; a folder left empty goes too).
   */
  async writeTree(
    entries: TreeEntryInput[],
    baseTree?: string,
  ): Promise<string> {
    type Node = {
      mode: string;
      type: string;
      sha?: string;
      children?: Map<string, Node>;
    };
    const root: Node = { mode: '040000', type: 'tree', children: new Map() };
    const load = async (node: Node, oid: string) => {
      const { tree } = await git.readTree({ ...this.#ctx, oid });
      for (const e of tree)
        node.children!.set(e.path, {
          mode: e.mode === '40000' ? '040000' : e.mode,
          type: e.type,
          sha: e.oid,
        });
    };
    if (baseTree) {
      if ((await this.objectType(baseTree)) !== 'tree')
        throw new GitInputError('base_tree is not a valid tree oid');
      await load(root, baseTree);
    }
    for (const entry of entries) {
      const parts = entry.path.split('/');
      if (parts.some(p => p === '' || p === '.' || p === '..'))
        throw new GitInputError(
          `tree.path contains a malformed path component: ${entry.path}`,
        );
      const deleting = entry.sha === null;
      // GitHub refuses to delete what the tree does not hold (422 GitRPC::BadObjectState).
      const missing = () =>
        new GitInputError(
          `GitRPC::BadObjectState: ${entry.path} is not in the tree and cannot be deleted`,
        );
      let node = root;
      for (const part of parts.slice(0, -1)) {
        let child = node.children!.get(part);
        if (deleting && (!child || child.type !== 'tree')) throw missing();
        if (!child || child.type !== 'tree') {
          child = { mode: '040000', type: 'tree', children: new Map() };
          node.children!.set(part, child);
        } else if (!child.children) {
          child.children = new Map();
          await load(child, child.sha!);
        }
        child.sha = undefined; // rewritten below
        node = child;
      }
      const name = parts[parts.length - 1];
      if (deleting) {
        if (!node.children!.delete(name)) throw missing();
        continue;
      }
      let sha = entry.sha;
      if (entry.content !== undefined)
        sha = await this.writeBlob(Buffer.from(entry.content, 'utf8'));
      if (!sha)
        throw new GitInputError(
          `tree entry ${entry.path} needs a sha or content`,
        );
      if (
        entry.content === undefined &&
        (await this.objectType(sha)) !== entry.type
      ) {
        throw new GitInputError(`tree.sha ${sha} is not a valid ${entry.type}`);
      }
      node.children!.set(name, { mode: entry.mode, type: entry.type, sha });
    }
    const write = async (node: Node): Promise<string> => {
      if (node.sha && !node.children) return node.sha;
      const tree = [];
      for (const [path, child] of node.children!) {
        if (
          child.type === 'tree' &&
          child.children &&
          child.children.size === 0 &&
          !child.sha
        )
          continue;
        tree.push({
          path,
          mode: child.mode,
          type: child.type as 'blob' | 'tree' | 'commit',
          oid:
            child.type === 'tree' && child.children
              ? await write(child)
              : child.sha!,
        });
      }
      return git.writeTree({ ...this.#ctx, tree });
    };
    return write(root);
  }

  async writeCommit(input: {
    message: string;
    tree: string;
    parents: string[];
    author: Signature;
    committer?: Signature;
  }): Promise<string> {
    if ((await this.objectType(input.tree)) !== 'tree')
      throw new GitInputError('Tree SHA does not exist');
    for (const parent of input.parents) {
      if ((await this.objectType(parent)) !== 'commit')
        throw new GitInputError(
          'Parent SHA does not exist or is not a commit object',
        );
    }
    const sig = (s: Signature) => {
      const date = s.date ? new Date(s.date) : new Date();
      return {
        name: s.name,
        email: s.email,
        timestamp: Math.floor(date.getTime() / 1000),
        timezoneOffset: 0,
      };
    };
    return git.writeCommit({
      ...this.#ctx,
      commit: {
        message: input.message,
        tree: input.tree,
        parent: input.parents,
        author: sig(input.author),
        committer: sig(input.committer ?? input.author),
      },
    });
  }

  async readCommit(oid: string) {
    try {
      return (await git.readCommit({ ...this.#ctx, oid })).commit;
    } catch {
      return undefined;
    }
  }

  /** The blob or tree at a path of a commit, if any. */
  async entryAt(
    commitSha: string,
    path: string,
  ): Promise<{ type: string; sha: string; mode: string } | undefined> {
    const commit = await this.readCommit(commitSha);
    if (!commit) return undefined;
    let current = { type: 'tree', sha: commit.tree, mode: '040000' };
    for (const part of path.split('/').filter(Boolean)) {
      if (current.type !== 'tree') return undefined;
      const { tree } = await git.readTree({ ...this.#ctx, oid: current.sha });
      const next = tree.find(e => e.path === part);
      if (!next) return undefined;
      current = { type: next.type, sha: next.oid, mode: next.mode };
    }
    return current;
  }

  /** Every file of a commit as path → blob sha (mode kept), for diffs and merges. */
  async files(
    commitSha: string,
  ): Promise<Map<string, { sha: string; mode: string }>> {
    const commit = await this.readCommit(commitSha);
    const files = new Map<string, { sha: string; mode: string }>();
    if (!commit) return files;
    for (const e of await this.readTree(commit.tree, true)) {
      if (e.type === 'blob') files.set(e.path, { sha: e.sha, mode: e.mode });
    }
    return files;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const [base] = await git.findMergeBase({ ...this.#ctx, oids: [a, b] });
    return base;
  }

  /** The commits reachable from `head` and not from `base`, as `git rev-list base..head`. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const walk = async (start: string, stop: Set<string>) => {
      const seen = new Set<string>();
      const queue = [start];
      while (queue.length) {
        const sha = queue.pop()!;
        if (seen.has(sha) || stop.has(sha)) continue;
        const commit = await this.readCommit(sha);
        if (!commit) continue;
        seen.add(sha);
        queue.push(...commit.parent);
      }
      return seen;
    };
    const mergeBase = (await this.mergeBase(base, head)) ?? base;
    // A linear history stops at the merge base; merges of base into head need base's history.
    const first = await walk(head, new Set([mergeBase]));
    let merged = false;
    for (const sha of first)
      if ((await this.readCommit(sha))!.parent.length > 1) merged = true;
    if (!merged) return [...first];
    const excluded = await walk(mergeBase, new Set());
    return [...(await walk(head, excluded))];
  }

  /** Whether `ancestor` is reachable from `sha` (for fast-forward checks). */
  async isAncestor(ancestor: string, sha: string): Promise<boolean> {
    if (ancestor === sha) return true;
    return git.isDescendent({ ...this.#ctx, oid: sha, ancestor, depth: -1 });
  }
}
