/** Request counters per token and per endpoint, for one API (GitHub or one cluster). */
export interface RequestCounts {
  total: number;
  byToken: Record<string, number>;
  byEndpoint: Record<string, number>;
  /** Kubernetes only: LIST and WATCH requests counted apart from single GETs. */
  byVerb: Record<string, number>;
}

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

  record(
    api: string,
    entry: { tokenLabel: string; endpoint: string; verb: string },
  ) {
    let counts = this.#counts.get(api);
    if (!counts) {
      counts = { total: 0, byToken: {}, byEndpoint: {}, byVerb: {} };
      this.#counts.set(api, counts);
    }
    counts.total += 1;
    counts.byToken[entry.tokenLabel] =
      (counts.byToken[entry.tokenLabel] ?? 0) + 1;
    const endpointKey = `${entry.verb} ${entry.endpoint}`;
    counts.byEndpoint[endpointKey] = (counts.byEndpoint[endpointKey] ?? 0) + 1;
    counts.byVerb[entry.verb] = (counts.byVerb[entry.verb] ?? 0) + 1;
  }

  snapshot(): Record<string, RequestCounts> {
    return structuredClone(Object.fromEntries(this.#counts));
  }

  reset() {
    this.#counts.clear();
  }
}
