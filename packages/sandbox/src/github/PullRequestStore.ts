import type { StoredReview } from './BranchProtection';
import { StateFile } from './StateFile';

export interface StoredLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** A pull request as the sandbox stores it (GitHub's JSON is rendered from it). */
export interface StoredPullRequest {
  number: number;
  title: string;
  body: string | null;
  user: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  merged_by: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
  /** Head sha when the pull request was closed or merged (its branch may move or vanish). */
  final_head_sha: string | null;
  labels: string[];
  requested_reviewers: string[];
  requested_teams: string[];
  reviews: StoredReview[];
}

interface State {
  nextNumber: number;
  nextReviewId: number;
  pulls: StoredPullRequest[];
  labels: StoredLabel[];
}

/** Pull requests, reviews and labels of the sandbox repository, kept in one JSON file. */
export class PullRequestStore {
  readonly #file: StateFile<State>;
  readonly #state: State;

  static open(file: string): PullRequestStore {
    return new PullRequestStore(file);
  }

  private constructor(file: string) {
    this.#file = StateFile.open<State>(file, () => ({
      nextNumber: 1,
      nextReviewId: 80000001,
      pulls: [],
      labels: [],
    }));
    this.#state = this.#file.state;
  }

  /** Writes the state atomically. */
  save() {
    this.#file.save();
  }

  all(): StoredPullRequest[] {
    return this.#state.pulls;
  }

  get(number: number): StoredPullRequest | undefined {
    return this.#state.pulls.find(p => p.number === number);
  }

  add(pull: Omit<StoredPullRequest, 'number'>): StoredPullRequest {
    const stored = { ...pull, number: this.#state.nextNumber++ };
    this.#state.pulls.push(stored);
    this.save();
    return stored;
  }

  nextReviewId(): number {
    return this.#state.nextReviewId++;
  }

  /** The label of that name, created (with a stable colour) when it does not exist yet. */
  label(name: string): StoredLabel {
    let label = this.#state.labels.find(
      l => l.name.toLowerCase() === name.toLowerCase(),
    );
    if (!label) {
      const colors = [
        '0e8a16',
        'd93f0b',
        '1d76db',
        'fbca04',
        '5319e7',
        'b60205',
      ];
      label = {
        id: 7000 + this.#state.labels.length,
        name,
        color: colors[this.#state.labels.length % colors.length],
        description: null,
      };
      this.#state.labels.push(label);
    }
    return label;
  }
}
