import type { HumanDuration } from '@backstage/types';

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
      /**
       * How often each API server is probed (`GET /version`), e.g. `{ seconds: 10 }`, `'10s'`
       * or `'PT10S'`. Default 10 seconds.
       */
      probeInterval?: HumanDuration | string;
      /** No contact for this long marks a cluster's figures stale. Default 30 seconds. */
      staleAfter?: HumanDuration | string;
      /** Deadline of each list page, probe and watch opening. Default 15 seconds. */
      requestTimeout?: HumanDuration | string;
    };
    history?: {
      /** How long the minute-by-minute figures are kept, e.g. `{ days: 30 }`. Default 30 days. */
      retention?: HumanDuration | string;
    };
    /** The deployment requests' lifecycle, driven by GitHub's webhooks and the fleet caches. */
    requests?: {
      /**
       * How often the reconciler catches up with GitHub after missed webhooks (one conditional
       * list of the pull requests; one replica at a time). Default 30 seconds.
       */
      reconcileInterval?: HumanDuration | string;
      /**
       * How often what the fleet caches observe of merged requests becomes their timeline
       * (synced, canary steps, healthy, per region). Default 5 seconds.
       */
      observeInterval?: HumanDuration | string;
    };
  };
}
