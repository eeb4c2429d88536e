import type {
  ApplicationSummary,
  ComplianceSnapshot,
  NodeSummary,
  PodSummary,
  RolloutSummary,
  ScaleScheduleSummary,
} from '@internal/plugin-omnivision-common';
import type { CachedResource } from './ResourceCache';

/** The label that ties Rollouts, Applications and pods to the model they serve. */
export const MODEL_LABEL = 'omnivision.ai/model';
/** Labels of pods worth keeping: the model, the HIPAA label, the app. */
const KEPT_POD_LABELS = [MODEL_LABEL, 'hipaa-compliant', 'app'];
const PRESSURE_CONDITIONS = [
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
];

type Element<T> = T extends Array<infer E> ? E : never;
export type NamespaceSummary = Element<ComplianceSnapshot['namespaces']>;
export type PeerAuthenticationSummary = Element<
  ComplianceSnapshot['peerAuthentications']
>;
export type ClusterPolicySummary = Element<
  ComplianceSnapshot['clusterPolicies']
>;
export type PolicyReportSummary = Element<ComplianceSnapshot['policyReports']>;
export type VulnerabilityReportSummary = Element<
  ComplianceSnapshot['vulnerabilityReports']
>;
export type ServiceAccountSummary = Element<
  ComplianceSnapshot['serviceAccounts']
>;
export type SecretSummary = Element<ComplianceSnapshot['secrets']>;

/** A Kubernetes quantity of whole devices ("4", "4k" never occurs for GPUs). */
function count(quantity: unknown): number {
  const n = Number(quantity);
  return Number.isFinite(n) ? n : 0;
}

function gpuResources(
  resources: Record<string, unknown> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(resources ?? {})) {
    if (name === 'nvidia.com/gpu' || name.startsWith('nvidia.com/mig-'))
      out[name] = count(value);
  }
  return out;
}

const PLACEMENT_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'cloud.google.com/gke-accelerator',
];

export function summarizeNode(node: any): NodeSummary {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  const conditions: Array<{ type: string; status: string }> =
    node.status?.conditions ?? [];
  const ready = conditions.find(c => c.type === 'Ready');
  const problems = conditions
    .filter(c =>
      c.type === 'Ready'
        ? c.status !== 'True'
        : PRESSURE_CONDITIONS.includes(c.type) && c.status === 'True',
    )
    .map(c => `${c.type}=${c.status}`);
  const memory = Number(labels['nvidia.com/gpu.memory']);
  const summary: NodeSummary = {
    name: node.metadata?.name,
    ready: ready?.status === 'True',
    unschedulable: node.spec?.unschedulable === true,
    gpuAllocatable: gpuResources(node.status?.allocatable),
  };
  if (labels['nvidia.com/gpu.product'])
    summary.gpuProduct = labels['nvidia.com/gpu.product'];
  if (Number.isFinite(memory) && memory > 0) summary.gpuMemoryMiB = memory;
  const placement = PLACEMENT_LABELS.map(l => labels[l]).find(Boolean);
  if (placement) summary.placement = placement;
  if (problems.length > 0) summary.problems = problems;
  return summary;
}

export function summarizePod(pod: any): PodSummary {
  const containers: any[] = pod.spec?.containers ?? [];
  const gpuRequests: Record<string, number> = {};
  for (const container of containers) {
    // Extended resources are requested through limits (requests default to them).
    const resources = {
      ...container.resources?.requests,
      ...container.resources?.limits,
    };
    for (const [name, n] of Object.entries(gpuResources(resources)))
      gpuRequests[name] = (gpuRequests[name] ?? 0) + n;
  }
  const labels: Record<string, string> = {};
  for (const key of KEPT_POD_LABELS) {
    const value = pod.metadata?.labels?.[key];
    if (value !== undefined) labels[key] = value;
  }
  const summary: PodSummary = {
    namespace: pod.metadata?.namespace,
    name: pod.metadata?.name,
    phase: pod.status?.phase ?? 'Pending',
    priority: pod.spec?.priority ?? 0,
    gpuRequests,
    labels,
    images: containers.map(c => c.image),
  };
  if (pod.spec?.nodeName) summary.nodeName = pod.spec.nodeName;
  if (pod.spec?.serviceAccountName)
    summary.serviceAccountName = pod.spec.serviceAccountName;
  if (pod.metadata?.creationTimestamp)
    summary.createdAt = pod.metadata.creationTimestamp;
  return summary;
}

export function summarizeCronJob(cronJob: any): ScaleScheduleSummary {
  const target = Number(
    cronJob.metadata?.annotations?.['omnivision.ai/target-gpu-nodes'],
  );
  return {
    namespace: cronJob.metadata?.namespace,
    name: cronJob.metadata?.name,
    schedule: cronJob.spec?.schedule,
    timeZone: cronJob.spec?.timeZone,
    targetGpuNodes: Number.isFinite(target) ? target : undefined,
    suspended: cronJob.spec?.suspend === true,
  };
}

export function summarizeNamespace(ns: any): NamespaceSummary {
  return { name: ns.metadata?.name, labels: ns.metadata?.labels ?? {} };
}

export function summarizePeerAuthentication(
  pa: any,
): PeerAuthenticationSummary {
  return {
    namespace: pa.metadata?.namespace,
    name: pa.metadata?.name,
    mode: pa.spec?.mtls?.mode,
    hasSelector: !!pa.spec?.selector,
  };
}

export function summarizeClusterPolicy(policy: any): ClusterPolicySummary {
  const rules: any[] = policy.spec?.rules ?? [];
  const requiredLabels = rules.flatMap(rule =>
    Object.entries(rule.validate?.pattern?.metadata?.labels ?? {}).map(
      ([k, v]) => `${k}=${v}`,
    ),
  );
  const ruleActions = rules
    .map(rule => rule.validate?.failureAction)
    .filter(Boolean);
  const action =
    policy.spec?.validationFailureAction ??
    (ruleActions.length > 0 &&
    ruleActions.every(a => String(a).toLowerCase() === 'enforce')
      ? 'Enforce'
      : 'Audit');
  return {
    name: policy.metadata?.name,
    action,
    requiredLabels,
    verifiesImages: rules.some(rule => (rule.verifyImages ?? []).length > 0),
  };
}

export function summarizePolicyReport(report: any): PolicyReportSummary {
  const results: any[] = report.results ?? [];
  return {
    namespace: report.metadata?.namespace,
    name: report.metadata?.name,
    failures: results
      .filter(r => r.result === 'fail')
      .map(r => {
        const resource = r.resources?.[0];
        return {
          policy: r.policy,
          rule: r.rule,
          resource: resource ? `${resource.kind}/${resource.name}` : 'unknown',
          message: r.message,
        };
      }),
  };
}

export function summarizeVulnerabilityReport(
  report: any,
): VulnerabilityReportSummary {
  const r = report.report ?? {};
  let reference = '';
  if (r.artifact?.digest) reference = `@${r.artifact.digest}`;
  else if (r.artifact?.tag) reference = `:${r.artifact.tag}`;
  const registry = r.registry?.server ? `${r.registry.server}/` : '';
  const image = `${registry}${r.artifact?.repository ?? 'unknown'}${reference}`;
  const findings: any[] = r.vulnerabilities ?? [];
  return {
    namespace: report.metadata?.namespace,
    name: report.metadata?.name,
    image,
    critical: count(r.summary?.criticalCount),
    high: count(r.summary?.highCount),
    // Only what fails the control is kept: High and Critical findings.
    findings: findings
      .filter(f => f.severity === 'CRITICAL' || f.severity === 'HIGH')
      .map(f => ({
        id: f.vulnerabilityID,
        severity: f.severity,
        resource: f.resource,
      })),
  };
}

export function summarizeServiceAccount(sa: any): ServiceAccountSummary {
  return {
    namespace: sa.metadata?.namespace,
    name: sa.metadata?.name,
    annotations: sa.metadata?.annotations ?? {},
  };
}

/** Secrets are known by their data keys only: their values are never kept. */
export function summarizeSecret(secret: any): SecretSummary {
  return {
    namespace: secret.metadata?.namespace,
    name: secret.metadata?.name,
    dataKeys: Object.keys({ ...secret.data, ...secret.stringData }),
  };
}

export function summarizeRollout(rollout: any): RolloutSummary {
  const steps: any[] = rollout.spec?.strategy?.canary?.steps ?? [];
  const status = rollout.status ?? {};
  return {
    namespace: rollout.metadata?.namespace,
    name: rollout.metadata?.name,
    model: rollout.metadata?.labels?.[MODEL_LABEL],
    phase: status.phase,
    message: status.message,
    currentStepIndex: status.currentStepIndex,
    stepCount: steps.length,
    canaryWeight: status.canary?.weights?.canary?.weight,
    replicas: status.replicas ?? rollout.spec?.replicas,
    readyReplicas: status.readyReplicas ?? 0,
  };
}

export function summarizeApplication(app: any): ApplicationSummary {
  return {
    name: app.metadata?.name,
    model: app.metadata?.labels?.[MODEL_LABEL],
    syncStatus: app.status?.sync?.status,
    healthStatus: app.status?.health?.status,
    revision: app.status?.sync?.revision,
    reconciledAt: app.status?.reconciledAt,
  };
}

/** Every resource kind the fleet caches per cluster, with what it keeps of each object. */
export const FLEET_RESOURCES = {
  nodes: { plural: 'nodes', path: '/api/v1/nodes', summarize: summarizeNode },
  pods: { plural: 'pods', path: '/api/v1/pods', summarize: summarizePod },
  scaleSchedules: {
    plural: 'cronjobs',
    path: '/apis/batch/v1/cronjobs',
    labelSelector: 'app.kubernetes.io/part-of=warm-pool',
    summarize: summarizeCronJob,
  },
  namespaces: {
    plural: 'namespaces',
    path: '/api/v1/namespaces',
    summarize: summarizeNamespace,
  },
  peerAuthentications: {
    plural: 'peerauthentications',
    path: '/apis/security.istio.io/v1/peerauthentications',
    summarize: summarizePeerAuthentication,
  },
  clusterPolicies: {
    plural: 'clusterpolicies',
    path: '/apis/kyverno.io/v1/clusterpolicies',
    summarize: summarizeClusterPolicy,
  },
  policyReports: {
    plural: 'policyreports',
    path: '/apis/wgpolicyk8s.io/v1alpha2/policyreports',
    summarize: summarizePolicyReport,
  },
  vulnerabilityReports: {
    plural: 'vulnerabilityreports',
    path: '/apis/aquasecurity.github.io/v1alpha1/vulnerabilityreports',
    summarize: summarizeVulnerabilityReport,
  },
  serviceAccounts: {
    plural: 'serviceaccounts',
    path: '/api/v1/serviceaccounts',
    summarize: summarizeServiceAccount,
  },
  secrets: {
    plural: 'secrets',
    path: '/api/v1/secrets',
    summarize: summarizeSecret,
  },
  rollouts: {
    plural: 'rollouts',
    path: '/apis/argoproj.io/v1alpha1/rollouts',
    summarize: summarizeRollout,
  },
  applications: {
    plural: 'applications',
    path: '/apis/argoproj.io/v1alpha1/applications',
    summarize: summarizeApplication,
  },
} satisfies Record<string, CachedResource<unknown>>;

export type FleetResourceName = keyof typeof FLEET_RESOURCES;
