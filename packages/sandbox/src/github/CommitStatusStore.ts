import { StateFile } from './StateFile';

/** The states of a commit status, as GitHub accepts them. */
export const COMMIT_STATUS_STATES = [
  'error',
  'failure',
  'pending',
  'success',
] as const;

export type CommitStatusState = (typeof COMMIT_STATUS_STATES)[number];

/** A commit status as the sandbox stores it (GitHub's JSON is rendered from it). */
export interface StoredStatus {
  id: number;
  sha: string;
  state: CommitStatusState;
  context: string;
  description: string | null;
  target_url: string | null;
  /** The login of the user whose token created it. */
  creator: string;
  created_at: string;
  updated_at: string;
}

interface State {
  nextId: number;
  statuses: StoredStatus[];
}

/** The commit statuses of the sandbox repository, kept in one JSON file. */
export class CommitStatusStore {
  readonly #file: StateFile<State>;

  static open(file: string): CommitStatusStore {
    return new CommitStatusStore(file);
  }

  private constructor(file: string) {
    this.#file = StateFile.open<State>(file, () => ({
      nextId: 60000001,
      statuses: [],
    }));
  }

  add(status: Omit<StoredStatus, 'id'>): StoredStatus {
    const stored = { ...status, id: this.#file.state.nextId++ };
    this.#file.state.statuses.push(stored);
    this.#file.save();
    return stored;
  }

  /** The statuses of a commit, newest first. */
  forCommit(sha: string): StoredStatus[] {
    return this.#file.state.statuses
      .filter(s => s.sha === sha)
      .sort((a, b) => b.id - a.id);
  }
}

/** Each context's latest status of a commit, from statuses given newest first. */
export function latestByContext(newestFirst: StoredStatus[]): StoredStatus[] {
  const latest = new Map<string, StoredStatus>();
  for (const status of newestFirst)
    if (!latest.has(status.context)) latest.set(status.context, status);
  return [...latest.values()];
}

/**
 * GitHub's combined state of a commit's statuses: `failure` if any context's latest status is
 * `error` or `failure`, `pending` if there are none or any is `pending`, `success` otherwise.
 */
export function combinedState(
  latest: StoredStatus[],
): 'failure' | 'pending' | 'success' {
  if (latest.some(s => s.state === 'error' || s.state === 'failure'))
    return 'failure';
  if (latest.length === 0 || latest.some(s => s.state === 'pending'))
    return 'pending';
  return 'success';
}
