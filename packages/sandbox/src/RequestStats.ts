/** Request counters per token and per endpoint, for one API (GitHub or one cluster). */
export interface RequestCounts {
  total: number;
  byToken: Record<string, number>;
  byEndpoint: Record<string, number>;
  /** The endpoints each token label called: label → `VERB endpoint` → count. */
  byTokenAndEndpoint: Record<string, Record<string, number>>;
  /** Kubernetes only: LIST and WATCH requests counted apart from single GETs. */
  byVerb: Record<string, number>;
  /**
   * GitHub only: conditional requests answered `304 Not Modified`, counted here and not in the
   * other counts (GitHub does not count them against the rate limit).
   */
  notModified?: NotModifiedCounts;
}

/** Requests answered `304 Not Modified`, per token and per endpoint. */
export interface NotModifiedCounts {
  total: number;
  byToken: Record<string, number>;
  byEndpoint: Record<string, number>;
}

/** A counted request: who made it (by label), to what, how. */
export interface RequestEntry {
  tokenLabel: string;
  endpoint: string;
  verb: string;
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Counts requests so that tests and benchmarks can prove what an operation cost
 * (e.g. how many GitHub calls one pull request took, how many LISTs a fleet view made).
 * Tokens are recorded by a short, non-secret label, never by their value.
 */
export class RequestStats {
  readonly #counts = new Map<string, RequestCounts>();

  static create(): RequestStats {
    return new RequestStats();
  }

  private constructor() {}

  record(api: string, entry: RequestEntry) {
    const counts = this.#countsOf(api);
    counts.total += 1;
    increment(counts.byToken, entry.tokenLabel);
    increment(counts.byEndpoint, `${entry.verb} ${entry.endpoint}`);
    increment(
      (counts.byTokenAndEndpoint[entry.tokenLabel] ??= {}),
      `${entry.verb} ${entry.endpoint}`,
    );
    increment(counts.byVerb, entry.verb);
  }

  /** A request answered `304 Not Modified`: counted apart from the others. */
  recordNotModified(api: string, entry: RequestEntry) {
    const counts = this.#countsOf(api);
    counts.notModified ??= { total: 0, byToken: {}, byEndpoint: {} };
    counts.notModified.total += 1;
    increment(counts.notModified.byToken, entry.tokenLabel);
    increment(counts.notModified.byEndpoint, `${entry.verb} ${entry.endpoint}`);
  }

  #countsOf(api: string): RequestCounts {
    let counts = this.#counts.get(api);
    if (!counts) {
      counts = {
        total: 0,
        byToken: {},
        byEndpoint: {},
        byTokenAndEndpoint: {},
        byVerb: {},
      };
      this.#counts.set(api, counts);
    }
    return counts;
  }

  snapshot(): Record<string, RequestCounts> {
    return structuredClone(Object.fromEntries(this.#counts));
  }

  reset() {
    this.#counts.clear();
  }
}
