import type { Socket } from 'node:net';
import { ObjectStore } from './ObjectStore';
import type { ClusterFault } from './ClusterFaults';

import type { Cloud } from '@internal/plugin-omnivision-common';

export type { Cloud };

/** A simulated cluster's identity: its name, cloud, region, static bearer token and version. */
export interface ClusterSpec {
  name: string;
  cloud: Cloud;
  region: string;
  /** The static bearer token its API server accepts besides cloud identities (for test tools). */
  token: string;
  /** That token's name: its requests are counted as `static:<tokenName>`. */
  tokenName: string;
  kubernetesVersion: string;
}

/** One simulated cluster: its identity, its API server's state and its injected fault. */
export class SimulatedCluster {
  readonly store = ObjectStore.create();
  #fault: ClusterFault | undefined;
  /** Connections of open watches and hung requests, cut when the cluster goes down. */
  readonly #openSockets = new Set<Socket>();

  static create(spec: ClusterSpec): SimulatedCluster {
    return new SimulatedCluster(spec);
  }

  private constructor(readonly spec: ClusterSpec) {}

  get name() {
    return this.spec.name;
  }

  get fault(): ClusterFault | undefined {
    return this.#fault;
  }

  setFault(fault: ClusterFault | undefined) {
    this.#fault = fault;
    // A server that goes away (or starts failing) drops its long-running connections.
    if (fault && fault.mode !== 'latency') this.dropConnections();
    if (!fault) this.dropConnections();
  }

  trackSocket(socket: Socket) {
    this.#openSockets.add(socket);
    socket.once('close', () => this.#openSockets.delete(socket));
  }

  /** Closes every open watch and hung request, as a restarting API server would. */
  dropConnections() {
    for (const socket of this.#openSockets) socket.destroy();
    this.#openSockets.clear();
  }
}
