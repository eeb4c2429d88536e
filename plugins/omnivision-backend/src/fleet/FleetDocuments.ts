import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  FLEET_SIGNAL_CHANNEL,
  FleetChangedSignal,
  HEALTH_CLOCK_READINGS,
} from '@internal/plugin-omnivision-common';
import { ServedDocument, serveDocument } from '../services/servedDocument';
import type { FleetStatusService } from './FleetStatusService';

/** How the fleet's documents follow the caches; the defaults suit production, tests shorten them. */
export interface FleetDocumentsTimings {
  /** How long after a cache change the fleet is looked at (the changes in between count once). */
  settleMs: number;
  /** How often the fleet is looked at anyway: health that changes with time, a scheduled run. */
  checkIntervalMs: number;
  /** At most one signal per this long. */
  signalIntervalMs: number;
}

export const DEFAULT_FLEET_DOCUMENTS_TIMINGS: FleetDocumentsTimings = {
  settleMs: 100,
  checkIntervalMs: 1_000,
  signalIntervalMs: 1_000,
};

/** Documents of names asked for (models, filters) kept at most; the oldest go first. */
const MAX_DOCUMENTS = 256;

export interface FleetDocumentsOptions {
  fleet: Pick<
    FleetStatusService,
    | 'clusterNames'
    | 'onChange'
    | 'inputs'
    | 'fleet'
    | 'compliance'
    | 'cluster'
    | 'warmPool'
    | 'modelDeployments'
  >;
  /** Where open pages hear that the fleet changed; without it, they poll. */
  signals?: Pick<SignalsService, 'publish'>;
  logger: LoggerService;
  timings?: Partial<FleetDocumentsTimings>;
}

interface Entry {
  /** The generations of the clusters the document was built from. */
  generations: string;
  document: ServedDocument;
}

/**
 * The fleet's answers, built and serialized once per change rather than per request, each with
 * an entity tag. A cluster's generation moves on when what its status is computed from changes
 * (a cache's objects, its health, the declared controls, a scale schedule's next run); a document is rebuilt at
 * the first request after a generation of one of its clusters moved on, and keeps its body and
 * tag when its content came out the same. The fleet document is rebuilt at once, and open pages
 * hear of the change through a signal naming the clusters (at most one a second).
 */
export class FleetDocuments {
  readonly #fleet: FleetDocumentsOptions['fleet'];
  readonly #signals: FleetDocumentsOptions['signals'];
  readonly #logger: LoggerService;
  readonly #timings: FleetDocumentsTimings;
  readonly #generations = new Map<string, number>();
  readonly #inputs = new Map<string, string>();
  readonly #documents = new Map<string, Entry>();
  readonly #unsignalled = new Set<string>();
  #lastSignal = 0;
  #signalTimer: NodeJS.Timeout | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #interval: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;

  static create(options: FleetDocumentsOptions): FleetDocuments {
    return new FleetDocuments(options);
  }

  private constructor(options: FleetDocumentsOptions) {
    this.#fleet = options.fleet;
    this.#signals = options.signals;
    this.#logger = options.logger;
    this.#timings = { ...DEFAULT_FLEET_DOCUMENTS_TIMINGS, ...options.timings };
  }

  /** Follows the caches' changes, and looks at the fleet every `checkIntervalMs`. */
  start(): void {
    this.#unsubscribe = this.#fleet.onChange(() => this.#checkSoon());
    this.#interval = setInterval(
      () => this.#check(),
      this.#timings.checkIntervalMs,
    );
    this.#check();
  }

  stop(): void {
    this.#unsubscribe?.();
    clearInterval(this.#interval);
    clearTimeout(this.#checkTimer);
    clearTimeout(this.#signalTimer);
  }

  /** `GET /fleet`. */
  fleet(): ServedDocument {
    return this.#memo('fleet', this.#fleet.clusterNames, () =>
      this.#fleet.fleet(),
    );
  }

  /** `GET /compliance`. */
  compliance(): ServedDocument {
    return this.#memo('compliance', this.#fleet.clusterNames, () =>
      this.#fleet.compliance(),
    );
  }

  /** `GET /clusters/:name`; throws `NotFoundError` for a cluster the fleet does not have. */
  cluster(name: string): ServedDocument {
    return this.#memo(`clusters/${name}`, [name], () =>
      this.#fleet.cluster(name),
    );
  }

  /** `GET /clusters/:name/warm-pool`; throws `NotFoundError` as `cluster` does. */
  warmPool(name: string): ServedDocument {
    return this.#memo(`clusters/${name}/warm-pool`, [name], () =>
      this.#fleet.warmPool(name),
    );
  }

  /** `GET /models/:name/deployments`. */
  modelDeployments(model: string): ServedDocument {
    return this.#memo(
      `models/${model}/deployments`,
      this.#fleet.clusterNames,
      () => this.#fleet.modelDeployments(model),
    );
  }

  /**
   * A document computed from the whole fleet and something else, told apart by `key` (which must
   * name everything else it depends on, e.g. a hash of the catalog entities read): the model
   * matrix.
   */
  document(key: string, build: () => unknown): ServedDocument {
    return this.#memo(`other/${key}`, this.#fleet.clusterNames, build);
  }

  #memo(key: string, clusters: string[], build: () => unknown): ServedDocument {
    const generations = clusters
      .map(c => `${c}:${this.#generations.get(c) ?? 0}`)
      .join(',');
    const entry = this.#documents.get(key);
    if (entry && entry.generations === generations) return entry.document;
    const document = serveDocument(
      build(),
      entry?.document,
      HEALTH_CLOCK_READINGS,
    );
    this.#documents.delete(key);
    this.#documents.set(key, { generations, document });
    if (this.#documents.size > MAX_DOCUMENTS) {
      this.#documents.delete(this.#documents.keys().next().value!);
    }
    return document;
  }

  #checkSoon() {
    this.#checkTimer ??= setTimeout(() => {
      this.#checkTimer = undefined;
      this.#check();
    }, this.#timings.settleMs);
  }

  /** Moves on the generation of each cluster whose inputs changed; rebuilds the fleet document. */
  #check() {
    const changed: string[] = [];
    let behind = false;
    try {
      for (const { cluster, inputs, current } of this.#fleet.inputs()) {
        behind ||= !current;
        if (this.#inputs.get(cluster) === inputs) continue;
        this.#inputs.set(cluster, inputs);
        this.#generations.set(
          cluster,
          (this.#generations.get(cluster) ?? 0) + 1,
        );
        changed.push(cluster);
      }
      if (changed.length > 0) {
        this.fleet();
        this.#announce(changed);
      }
    } catch (error) {
      this.#logger.error(`could not follow the fleet's changes: ${error}`);
    }
    // A part reused under constant change: look again once it may be recomputed.
    if (behind) this.#checkSoon();
  }

  #announce(clusters: string[]) {
    if (!this.#signals) return;
    for (const cluster of clusters) this.#unsignalled.add(cluster);
    if (this.#signalTimer) return;
    const wait = Math.max(
      0,
      this.#lastSignal + this.#timings.signalIntervalMs - Date.now(),
    );
    this.#signalTimer = setTimeout(() => {
      this.#signalTimer = undefined;
      this.#lastSignal = Date.now();
      const message: FleetChangedSignal = {
        clusters: [...this.#unsignalled],
        changedAt: new Date().toISOString(),
      };
      this.#unsignalled.clear();
      this.#signals!.publish<FleetChangedSignal>({
        recipients: { type: 'broadcast' },
        channel: FLEET_SIGNAL_CHANNEL,
        message,
      }).catch(error =>
        this.#logger.warn(`could not signal the fleet's change: ${error}`),
      );
    }, wait);
  }
}
