import type { GpuProfile } from '../deployments/DeploymentRequest';
import { MODEL_LABEL } from '../deployments/gitOpsLayout';
import type { ModelVersion } from '../deployments/modelVersions';
import {
  NodeSummary,
  PodSummary,
  WHOLE_GPU,
  isActivePod,
} from './ClusterSnapshot';
import type { Cloud, RegionalModelDeployment } from './FleetStatus';

/** How a model stands in a region, or across the fleet (the worst of its regions). @public */
export const MODEL_HEALTH = [
  'healthy',
  'progressing',
  'degraded',
  'unknown',
  'not-deployed',
] as const;

/** @public */
export type ModelHealth = (typeof MODEL_HEALTH)[number];

/** One region of the fleet as the matrix reads it: its nodes and pods from the watch caches. @public */
export interface ModelMatrixRegion {
  region: string;
  cluster: string;
  cloud: Cloud;
  /** The region's figures may be out of date (unreachable, or a cache not current). */
  stale: boolean;
  nodes: NodeSummary[];
  pods: PodSummary[];
}

/** What the catalog says of a model (a Resource of type ai-model). @public */
export interface ModelCatalogEntry {
  name: string;
  title?: string;
  /** e.g. `resource:default/vidgen-xl`. */
  entityRef: string;
  /** The entity's `spec.owner`, as written (`data-science` or `group:default/data-science`). */
  owner: string;
  versions?: ModelVersion[];
}

/** An image as the matrix shows it: its digest and, when the catalog lists it, the version. @public */
export interface ModelImageVersion {
  /** `sha256:…`; undefined when the image is not pinned by digest. */
  digest?: string;
  /** The catalog's `spec.model.versions[].version` of that digest. */
  version?: string;
}

/** One model in one region. @public */
export interface ModelMatrixCell {
  region: string;
  cluster: string;
  /** The model has a Rollout or an Argo CD Application in the region. */
  deployed: boolean;
  stale: boolean;
  health: ModelHealth;
  rolloutPhase?: string;
  /** Argo CD's health of the model's Application. */
  healthStatus?: string;
  /** What runs: the stable version (from the Rollout, else the model's pods). */
  running?: ModelImageVersion;
  /** The canary's version while an update runs. */
  canary?: ModelImageVersion;
  /** The version Git wants. */
  wanted?: ModelImageVersion;
  canaryStep: number;
  canarySteps: number;
  canaryWeight: number;
  readyReplicas: number;
  replicas: number;
  drift?: string;
  abortReason?: string;
  /** The model's ready replicas answer in this region, and its figures are current. */
  serving: boolean;
  /** GPU resources held by the model's scheduled pods, by resource (whole GPUs and MIG slices). */
  gpus: Record<string, number>;
  /** All GPU resources held, whole GPUs and MIG slices alike. */
  gpuCount: number;
  /** What those pods cost an hour: each pod at its GPU profile's price in the region. */
  hourlyCostUsd: number;
  /** Pods whose GPU profile or price in the region is unknown (not in the cost). */
  unpricedPods: number;
}

/** One model across the fleet. @public */
export interface ModelMatrixRow {
  model: string;
  title?: string;
  entityRef: string;
  /** The owner as a group entity ref, e.g. `group:default/data-science`. */
  owner: string;
  /** The worst health of the regions the model is deployed in; `not-deployed` when none. */
  health: ModelHealth;
  /** One cell per region of the fleet, in the order of {@link ModelMatrix.regions}. */
  cells: ModelMatrixCell[];
  /** The regions that serve the model now. */
  servingRegions: string[];
  /** The model still serves if any one region is cut off: it serves in two regions or more. */
  survivesRegionLoss: boolean;
  gpuCount: number;
  hourlyCostUsd: number;
}

/** `GET /api/omnivision/models`: the model × region matrix. @public */
export interface ModelMatrix {
  generatedAt: string;
  regions: Array<{
    region: string;
    cluster: string;
    cloud: Cloud;
    stale: boolean;
  }>;
  /** Every owner team of the catalog's models (before filtering), for a filter to offer. */
  teams: string[];
  models: ModelMatrixRow[];
}

/** Which rows the matrix keeps. @public */
export interface ModelMatrixFilter {
  /** An owner group, by name (`data-science`) or entity ref. */
  team?: string;
  health?: ModelHealth;
}

/** What the matrix is computed from. @public */
export interface ModelMatrixInput {
  generatedAt: string;
  models: ModelCatalogEntry[];
  regions: ModelMatrixRegion[];
  deployments: RegionalModelDeployment[];
  profiles: GpuProfile[];
  filter?: ModelMatrixFilter;
}

/**
 * An owner as an entity ref: a bare name is a group in the default namespace, as the catalog
 * reads `spec.owner`.
 *
 * @public
 */
export function ownerEntityRef(owner: string): string {
  const lower = owner.trim().toLocaleLowerCase('en-US');
  if (lower.includes(':')) return lower;
  return lower.includes('/') ? `group:${lower}` : `group:default/${lower}`;
}

/**
 * The digest of an image reference (`repository@sha256:…`), and the model's version of it.
 *
 * @public
 */
export function modelImageVersion(
  image: string | undefined,
  versions: readonly ModelVersion[] | undefined,
): ModelImageVersion | undefined {
  if (!image) return undefined;
  const at = image.lastIndexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  if (!digest) return {};
  return {
    digest,
    version: versions?.find(v => v.imageDigest === digest)?.version,
  };
}

const SEVERITY: Record<ModelHealth, number> = {
  'not-deployed': 0,
  healthy: 1,
  progressing: 2,
  unknown: 3,
  degraded: 4,
};

function cellHealth(
  deployment: RegionalModelDeployment | undefined,
): ModelHealth {
  if (!deployment) return 'not-deployed';
  if (deployment.stale) return 'unknown';
  const { rolloutPhase: phase, healthStatus: health } = deployment;
  if (
    deployment.abortReason ||
    phase === 'Degraded' ||
    phase === 'Aborted' ||
    health === 'Degraded' ||
    health === 'Missing'
  )
    return 'degraded';
  if (phase === 'Healthy' && (health === 'Healthy' || health === 'Unknown'))
    return 'healthy';
  return 'progressing';
}

/** The model's own pods (no warm-pool placeholder) that still hold what they requested. */
function podsOf(model: string, region: ModelMatrixRegion): PodSummary[] {
  return region.pods.filter(
    p => p.labels[MODEL_LABEL] === model && isActivePod(p) && p.priority >= 0,
  );
}

/** The GPU profile a scheduled pod runs on: its GPU resource and count, and its node's placement. */
function profileOf(
  pod: PodSummary,
  node: NodeSummary | undefined,
  cloud: Cloud,
  profiles: GpuProfile[],
): GpuProfile | undefined {
  return profiles.find(profile => {
    const resource = profile.gpuResource ?? WHOLE_GPU;
    if ((pod.gpuRequests[resource] ?? 0) !== profile.gpusPerReplica)
      return false;
    const placement = profile.placement[cloud];
    if (!placement) return false;
    if (node?.placement !== undefined && node.placement !== placement)
      return false;
    return !(
      node?.gpuProduct !== undefined && node.gpuProduct !== profile.gpuProduct
    );
  });
}

const cents = (n: number) => Math.round(n * 100) / 100;

function gpusHeld(
  pods: PodSummary[],
  region: ModelMatrixRegion,
  profiles: GpuProfile[],
) {
  const gpus: Record<string, number> = {};
  let hourly = 0;
  let unpriced = 0;
  const nodes = new Map(region.nodes.map(n => [n.name, n]));
  for (const pod of pods) {
    if (!pod.nodeName) continue;
    const held = Object.entries(pod.gpuRequests).filter(([, n]) => n > 0);
    if (held.length === 0) continue;
    for (const [resource, n] of held)
      gpus[resource] = (gpus[resource] ?? 0) + n;
    const profile = profileOf(
      pod,
      nodes.get(pod.nodeName),
      region.cloud,
      profiles,
    );
    const price = profile?.hourlyPriceUsd[region.region];
    if (price === undefined) unpriced += 1;
    else hourly += price;
  }
  return {
    gpus,
    gpuCount: Object.values(gpus).reduce((s, n) => s + n, 0),
    hourlyCostUsd: cents(hourly),
    unpricedPods: unpriced,
  };
}

/** The image the model's pods run, when they all run the same one. */
function podsImage(pods: PodSummary[]): string | undefined {
  const images = new Set(
    pods.flatMap(p => p.images.filter(i => i.includes('@sha256:'))),
  );
  return images.size === 1 ? [...images][0] : undefined;
}

function cellOf(
  model: ModelCatalogEntry,
  region: ModelMatrixRegion,
  deployment: RegionalModelDeployment | undefined,
  profiles: GpuProfile[],
): ModelMatrixCell {
  const pods = podsOf(model.name, region);
  const stale = deployment?.stale ?? region.stale;
  const health = cellHealth(deployment);
  return {
    region: region.region,
    cluster: region.cluster,
    deployed: deployment !== undefined,
    stale,
    health,
    rolloutPhase: deployment?.rolloutPhase,
    healthStatus: deployment?.healthStatus,
    running: modelImageVersion(
      deployment?.stableImage ?? podsImage(pods),
      model.versions,
    ),
    canary: modelImageVersion(deployment?.canaryImage, model.versions),
    wanted: modelImageVersion(deployment?.wantedImage, model.versions),
    canaryStep: deployment?.canaryStep ?? 0,
    canarySteps: deployment?.canarySteps ?? 0,
    canaryWeight: deployment?.canaryWeight ?? 0,
    readyReplicas: deployment?.readyReplicas ?? 0,
    replicas: deployment?.replicas ?? 0,
    drift: deployment?.drift,
    abortReason: deployment?.abortReason,
    serving: deployment !== undefined && !stale && deployment.readyReplicas > 0,
    ...gpusHeld(pods, region, profiles),
  };
}

/**
 * The model × region matrix: one row per model of the catalog, one cell per region of the fleet
 * with the version running (digests mapped to the catalog's versions), health, canary, drift, the
 * GPUs the model's pods hold and their cost an hour, and which regions serve it now, so that a
 * glance tells which models still serve if a region is cut off. Rows sorted by model, filtered
 * by owner team and health.
 *
 * @public
 */
export function computeModelMatrix(input: ModelMatrixInput): ModelMatrix {
  const byModelAndRegion = new Map(
    input.deployments.map(d => [`${d.model}\u0000${d.region}`, d]),
  );
  const rows = [...input.models]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((model): ModelMatrixRow => {
      const cells = input.regions.map(region =>
        cellOf(
          model,
          region,
          byModelAndRegion.get(`${model.name}\u0000${region.region}`),
          input.profiles,
        ),
      );
      const servingRegions = cells.filter(c => c.serving).map(c => c.region);
      return {
        model: model.name,
        title: model.title,
        entityRef: model.entityRef,
        owner: ownerEntityRef(model.owner),
        health: cells.reduce<ModelHealth>(
          (worst, c) =>
            SEVERITY[c.health] > SEVERITY[worst] ? c.health : worst,
          'not-deployed',
        ),
        cells,
        servingRegions,
        survivesRegionLoss: servingRegions.length >= 2,
        gpuCount: cells.reduce((s, c) => s + c.gpuCount, 0),
        hourlyCostUsd: cents(cells.reduce((s, c) => s + c.hourlyCostUsd, 0)),
      };
    });
  const team = input.filter?.team && ownerEntityRef(input.filter.team);
  const health = input.filter?.health;
  return {
    generatedAt: input.generatedAt,
    regions: input.regions.map(({ region, cluster, cloud, stale }) => ({
      region,
      cluster,
      cloud,
      stale,
    })),
    teams: [...new Set(rows.map(r => r.owner))].sort(),
    models: rows.filter(
      r => (!team || r.owner === team) && (!health || r.health === health),
    ),
  };
}
