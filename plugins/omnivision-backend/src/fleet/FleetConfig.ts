import fs from 'node:fs';
import path from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  Cloud,
  DEFAULT_WARM_POOL_POLICY,
  WarmPoolPolicy,
} from '@internal/plugin-omnivision-common';
import {
  ANNOTATION_KUBERNETES_AUTH_PROVIDER,
  ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE,
  ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID,
} from '@backstage/plugin-kubernetes-common';
import type { AuthMetadata } from '@backstage/plugin-kubernetes-node';
import type { ClusterEndpoint } from './kubernetes/ClusterConnection';
import type { ClusterCacheTimings } from './kubernetes/ClusterCache';
import {
  FLEET_AUTH_PROVIDERS,
  authProviderOf,
  isFleetAuthProvider,
} from './kubernetes/ClusterCredentials';

/** One cluster of the fleet: the region it serves and how to reach it. */
export interface FleetCluster {
  name: string;
  cloud: Cloud;
  /** The cloud region, e.g. `us-west-2`. */
  region: string;
  endpoint: ClusterEndpoint;
}

/** What the fleet status service is configured with. */
export interface FleetConfig {
  clusters: FleetCluster[];
  /**
   * Regions whose cluster the fleet cannot read (its auth provider is none the fleet uses), with
   * the reason: left out of the fleet, to be logged as warnings.
   */
  skipped: Array<{ cluster: string; reason: string }>;
  warmPool: WarmPoolPolicy;
  /** Only the timings the config sets; the caches' defaults fill the rest. */
  timings: Partial<ClusterCacheTimings>;
  history: { retentionMs: number };
}

/** The history's retention when `omnivision.history.retention` is not set: 30 days. */
const DEFAULT_HISTORY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A positive duration of the config, in milliseconds: `{ seconds: 10 }`, `'10s'` or `'PT10S'`.
 * Undefined when the key is not set.
 */
function readOptionalDurationMs(
  config: Config,
  key: string,
): number | undefined {
  if (!config.has(key)) return undefined;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(
      `${key} must be a duration such as { seconds: 10 }, '10s' or 'PT10S': ${
        (error as Error).message
      }`,
    );
  }
  if (!(ms > 0)) throw new Error(`${key} must be a positive duration`);
  return ms;
}

/**
 * The CA bundle that a cluster's API server certificate must chain to, base64-encoded as in a
 * kubeconfig: `caData` as it is, or the PEM file `caFile` names (relative to the backend's
 * working folder, as Backstage's Kubernetes plugin reads it). Absent, the system's CAs apply.
 */
function readCaData(cluster: Config, name: string): string | undefined {
  const caData = cluster.getOptionalString('caData');
  const caFile = cluster.getOptionalString('caFile');
  if (caData !== undefined && caFile !== undefined) {
    throw new Error(
      `kubernetes cluster ${name}: set caData or caFile, not both`,
    );
  }
  if (caFile === undefined) return caData;
  let pem: Buffer;
  try {
    pem = fs.readFileSync(caFile);
  } catch (error) {
    throw new Error(
      `kubernetes cluster ${name}: cannot read its CA file caFile ${JSON.stringify(
        caFile,
      )} (${path.resolve(caFile)}): ${(error as Error).message}`,
    );
  }
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      `kubernetes cluster ${name}: its CA file caFile ${JSON.stringify(
        caFile,
      )} holds no PEM certificate`,
    );
  }
  return pem.toString('base64');
}

/**
 * A cluster's auth metadata, read as Backstage's Kubernetes plugin reads it from a `config`
 * cluster locator: `authProvider` (or `authMetadata.kubernetes.io/auth-provider`), the keys a
 * provider takes (`serviceAccountToken`, `assumeRole`, `externalId`), and the `authMetadata`
 * block over them.
 */
function readAuthMetadata(cluster: Config, name: string): AuthMetadata {
  const block = (cluster.getOptional('authMetadata') ?? {}) as AuthMetadata;
  const authProvider =
    block[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
    cluster.getOptionalString('authProvider');
  if (!authProvider) {
    throw new Error(
      `kubernetes cluster ${name} has no authProvider (or authMetadata.${ANNOTATION_KUBERNETES_AUTH_PROVIDER})`,
    );
  }
  const serviceAccountToken = cluster.getOptionalString('serviceAccountToken');
  const assumeRole = cluster.getOptionalString('assumeRole');
  const externalId = cluster.getOptionalString('externalId');
  return {
    [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: authProvider,
    ...(serviceAccountToken && { serviceAccountToken }),
    ...(assumeRole && { [ANNOTATION_KUBERNETES_AWS_ASSUME_ROLE]: assumeRole }),
    ...(externalId && { [ANNOTATION_KUBERNETES_AWS_EXTERNAL_ID]: externalId }),
    ...block,
  };
}

/** Duration keys that earlier versions read as numbers, and the keys that replace them. */
const RENAMED_DURATION_KEYS: Array<[string, string]> = [
  ['omnivision.fleet.probeIntervalSeconds', 'omnivision.fleet.probeInterval'],
  ['omnivision.fleet.staleAfterSeconds', 'omnivision.fleet.staleAfter'],
  ['omnivision.fleet.requestTimeoutSeconds', 'omnivision.fleet.requestTimeout'],
  ['omnivision.history.retentionDays', 'omnivision.history.retention'],
];

/**
 * Reads the fleet from config. A cluster's connection comes from the same
 * `kubernetes.clusterLocatorMethods` entry that Backstage's Kubernetes plugin reads, so one
 * entry configures both; its cloud and region come from `omnivision.regions`. Durations
 * (`omnivision.fleet.probeInterval`, `staleAfter`, `requestTimeout`,
 * `omnivision.history.retention`) are `HumanDuration`s or strings (`'10s'`, `'PT10S'`).
 * A cluster is read with cloud identity (`authProvider: aws` or `googleServiceAccount`) or a
 * service account; a region whose cluster has another provider is skipped (`skipped`), and clusters no region
 * names are not read at all, whatever their provider.
 */
export function readFleetConfig(config: Config): FleetConfig {
  // Read only for the clusters a region names: another plugin's cluster is none of the fleet's.
  const endpoints = new Map<string, () => ClusterEndpoint>();
  for (const method of config.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  ) ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      const name = cluster.getString('name');
      endpoints.set(name, () => ({
        name,
        url: cluster.getString('url'),
        authMetadata: readAuthMetadata(cluster, name),
        caData: readCaData(cluster, name),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
      }));
    }
  }

  const clusters: FleetCluster[] = [];
  const skipped: FleetConfig['skipped'] = [];
  for (const region of config.getOptionalConfigArray('omnivision.regions') ??
    []) {
    const name = region.getString('cluster');
    const cloud = region.getString('cloud');
    if (cloud !== 'aws' && cloud !== 'gcp') {
      throw new Error(
        `omnivision.regions: cloud of ${name} must be aws or gcp, not ${cloud}`,
      );
    }
    const readEndpoint = endpoints.get(name);
    if (!readEndpoint) {
      throw new Error(
        `omnivision.regions names cluster ${name}, which kubernetes.clusterLocatorMethods does not configure`,
      );
    }
    if (clusters.some(c => c.name === name)) {
      throw new Error(`omnivision.regions names cluster ${name} twice`);
    }
    const endpoint = readEndpoint();
    const provider = authProviderOf(endpoint);
    if (!isFleetAuthProvider(provider)) {
      skipped.push({
        cluster: name,
        reason: `its authProvider ${provider} is none the fleet reads clusters with (${FLEET_AUTH_PROVIDERS.join(
          ', ',
        )})`,
      });
      continue;
    }
    clusters.push({ name, cloud, region: region.getString('id'), endpoint });
  }

  const warmPool = config.getOptionalConfig('omnivision.fleet.warmPool');
  const targetHeadroom =
    warmPool?.getOptionalNumber('targetHeadroom') ??
    DEFAULT_WARM_POOL_POLICY.targetHeadroom;
  const baselineGpuNodes =
    warmPool?.getOptionalNumber('baselineGpuNodes') ??
    DEFAULT_WARM_POOL_POLICY.baselineGpuNodes;
  if (!(targetHeadroom >= 0 && targetHeadroom <= 1)) {
    throw new Error(
      'omnivision.fleet.warmPool.targetHeadroom must be a share from 0 to 1',
    );
  }
  // Keys of earlier versions, read as numbers: refuse them rather than ignore them silently.
  for (const [legacy, key] of RENAMED_DURATION_KEYS) {
    if (config.has(legacy))
      throw new Error(
        `${legacy} is no longer read: set ${key} as a duration instead (e.g. { seconds: 10 } or '10s')`,
      );
  }
  const retentionMs =
    readOptionalDurationMs(config, 'omnivision.history.retention') ??
    DEFAULT_HISTORY_RETENTION_MS;
  const timings: Partial<ClusterCacheTimings> = {};
  const probe = readOptionalDurationMs(
    config,
    'omnivision.fleet.probeInterval',
  );
  const stale = readOptionalDurationMs(config, 'omnivision.fleet.staleAfter');
  const timeout = readOptionalDurationMs(
    config,
    'omnivision.fleet.requestTimeout',
  );
  if (probe) timings.probeIntervalMs = probe;
  if (stale) timings.staleAfterMs = stale;
  if (timeout) timings.requestTimeoutMs = timeout;
  return {
    clusters,
    skipped,
    warmPool: { targetHeadroom, baselineGpuNodes },
    timings,
    history: { retentionMs },
  };
}
