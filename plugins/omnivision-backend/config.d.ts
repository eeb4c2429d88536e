export interface Config {
  /** The OmniVision portal's own settings. */
  omnivision?: {
    // omnivision.regions: declared by @internal/plugin-omnivision-common.
    fleet?: {
      /** What the warm pool must hold (seed 000: 20% of the GPUs, a baseline of 20 GPU nodes). */
      warmPool?: {
        /** Share of the whole GPUs placeholder pods should hold, from 0 to 1. Default 0.2. */
        targetHeadroom?: number;
        /** GPU nodes that must always be ready. Default 20. */
        baselineGpuNodes?: number;
      };
      /** How often each API server is probed. Default 10. */
      probeIntervalSeconds?: number;
      /** No contact for this long marks a cluster's figures stale. Default 30. */
      staleAfterSeconds?: number;
      /** Deadline of each list page, probe and watch opening. Default 15. */
      requestTimeoutSeconds?: number;
    };
    history?: {
      /** How long the minute-by-minute figures are kept. Default 30. */
      retentionDays?: number;
    };
  };
}
