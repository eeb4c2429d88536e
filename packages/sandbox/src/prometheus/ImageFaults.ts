/** A fault of one image: its pods report CUDA errors (DCGM XID errors) at this rate. */
export interface ImageFault {
  digest: string;
  cudaErrorsPerMinute: number;
  /** When the fault was set (ms since the epoch): errors count from then on. */
  since: number;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Reads `{ digest, cudaErrorsPerMinute }`; throws with a message for a 400 otherwise. */
export function parseImageFault(body: unknown): {
  digest: string;
  cudaErrorsPerMinute: number;
} {
  const { digest, cudaErrorsPerMinute } = (body ?? {}) as Record<
    string,
    unknown
  >;
  if (typeof digest !== 'string' || !DIGEST.test(digest))
    throw new Error(
      '"digest" must be an image digest: "sha256:" and 64 lowercase hex digits',
    );
  if (
    typeof cudaErrorsPerMinute !== 'number' ||
    !Number.isFinite(cudaErrorsPerMinute) ||
    cudaErrorsPerMinute < 0
  )
    throw new Error('"cudaErrorsPerMinute" must be a number, 0 or more');
  return { digest, cudaErrorsPerMinute };
}

/** Whether a string is an image digest as faults name them. */
export function isImageDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value);
}

/**
 * The images made faulty through the admin API (`/sandbox/images/faults`): the pods that run
 * one report DCGM XID errors at its rate in the clusters' Prometheus.
 */
export class ImageFaults {
  readonly #faults = new Map<string, ImageFault>();

  static create(options: { now?: () => number } = {}): ImageFaults {
    return new ImageFaults(options.now ?? Date.now);
  }

  private constructor(private readonly now: () => number) {}

  set(digest: string, cudaErrorsPerMinute: number): ImageFault {
    const fault = { digest, cudaErrorsPerMinute, since: this.now() };
    this.#faults.set(digest, fault);
    return fault;
  }

  /** Clears one image's fault, or every fault; returns the digests cleared. */
  clear(digest?: string): string[] {
    if (digest === undefined) {
      const all = [...this.#faults.keys()];
      this.#faults.clear();
      return all;
    }
    return this.#faults.delete(digest) ? [digest] : [];
  }

  get(digest: string): ImageFault | undefined {
    return this.#faults.get(digest);
  }

  list(): ImageFault[] {
    return [...this.#faults.values()];
  }
}
