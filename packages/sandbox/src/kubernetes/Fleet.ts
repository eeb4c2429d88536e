import fs from 'node:fs';
import path from 'node:path';
import { isDnsLabel } from '@internal/plugin-omnivision-common';
import { SimulatedCluster, ClusterSpec, Cloud } from './SimulatedCluster';
import { ClusterSize, DEFAULT_CLUSTER_SIZE, seedCluster } from './seedCluster';
import {
  ComplianceBreak,
  breakCompliance,
  restoreCompliance,
} from './complianceBreaks';

interface PersistedCluster {
  size: ClusterSize;
  breaks: ComplianceBreak[];
}

/** The default fleet: one EKS cluster in us-west-2 and one GKE cluster in europe-west1. */
export const DEFAULT_CLUSTERS =
  'eks-us-west-2:aws:us-west-2,gke-europe-west1:gcp:europe-west1';

/** The name of the clusters' static tokens, for test tools that read ground truth. */
export const STATIC_TOKEN_NAME = 'test-tools';

/**
 * Parses `name:cloud:region,...` (the SANDBOX_CLUSTERS variable). Each cluster's static bearer
 * token is `sandbox-<name>`, named `test-tools`: development-only credentials of a loopback
 * service, beside the cloud identities its API server accepts.
 */
export function parseClusterList(text: string): ClusterSpec[] {
  return text.split(',').map(entry => {
    const [name, cloud, region] = entry.trim().split(':');
    if (!isDnsLabel(name ?? '') || !['aws', 'gcp'].includes(cloud) || !region) {
      throw new Error(
        `invalid cluster ${JSON.stringify(
          entry,
        )}: expected name:aws|gcp:region`,
      );
    }
    return {
      name,
      cloud: cloud as Cloud,
      region,
      token: `sandbox-${name}`,
      tokenName: STATIC_TOKEN_NAME,
      // 1.32: the API server serves watch lists (sendInitialEvents; WatchList, beta) by default.
      kubernetesVersion:
        cloud === 'aws' ? 'v1.32.2-eks-7f9249a' : 'v1.32.1-gke.1678000',
    };
  });
}

/** The simulated fleet: its clusters, their size and broken controls, persisted in the data folder. */
export class Fleet {
  readonly clusters = new Map<string, SimulatedCluster>();
  readonly #state: Record<string, PersistedCluster>;
  readonly #stateFile: string;

  static create(options: { clusters: ClusterSpec[]; dataDir: string }): Fleet {
    return new Fleet(options.clusters, options.dataDir);
  }

  private constructor(specs: ClusterSpec[], dataDir: string) {
    this.#stateFile = path.join(dataDir, 'fleet.json');
    this.#state = fs.existsSync(this.#stateFile)
      ? JSON.parse(fs.readFileSync(this.#stateFile, 'utf8'))
      : {};
    for (const spec of specs) {
      const cluster = SimulatedCluster.create(spec);
      const state = (this.#state[spec.name] ??= {
        size: DEFAULT_CLUSTER_SIZE,
        breaks: [],
      });
      seedCluster(cluster, state.size);
      for (const control of state.breaks) breakCompliance(cluster, control);
      this.clusters.set(spec.name, cluster);
    }
  }

  get(name: string): SimulatedCluster | undefined {
    return this.clusters.get(name);
  }

  #save() {
    fs.writeFileSync(this.#stateFile, JSON.stringify(this.#state, null, 2));
  }

  /** Rebuilds a cluster at a new size; open watches are cut, as in a cluster rebuild. */
  scale(cluster: SimulatedCluster, size: ClusterSize) {
    const state = this.#state[cluster.name];
    state.size = size;
    seedCluster(cluster, size);
    for (const control of state.breaks) breakCompliance(cluster, control);
    cluster.dropConnections();
    this.#save();
  }

  breakControl(cluster: SimulatedCluster, control: ComplianceBreak) {
    const state = this.#state[cluster.name];
    if (!state.breaks.includes(control)) state.breaks.push(control);
    breakCompliance(cluster, control);
    this.#save();
  }

  restoreControl(cluster: SimulatedCluster, control?: ComplianceBreak) {
    const state = this.#state[cluster.name];
    const controls = control ? [control] : [...state.breaks];
    for (const c of controls) restoreCompliance(cluster, c);
    state.breaks = state.breaks.filter(c => !controls.includes(c));
    this.#save();
  }

  breaks(cluster: SimulatedCluster): ComplianceBreak[] {
    return [...this.#state[cluster.name].breaks];
  }
}
