/** A Kubernetes object as the sandbox stores it: plain JSON in the API's own shape. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<Record<string, unknown>>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One resource type the sandbox's API servers serve. */
export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    kind: 'Node',
    plural: 'nodes',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    namespaced: true,
    shortNames: ['sa'],
  },
  {
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
  },
  {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
  },
  {
    group: 'batch',
    version: 'v1',
    kind: 'CronJob',
    plural: 'cronjobs',
    singular: 'cronjob',
    namespaced: true,
    shortNames: ['cj'],
  },
  {
    group: 'scheduling.k8s.io',
    version: 'v1',
    kind: 'PriorityClass',
    plural: 'priorityclasses',
    singular: 'priorityclass',
    namespaced: false,
    shortNames: ['pc'],
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Application',
    plural: 'applications',
    singular: 'application',
    namespaced: true,
    shortNames: ['app'],
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'Rollout',
    plural: 'rollouts',
    singular: 'rollout',
    namespaced: true,
    shortNames: ['ro'],
  },
  {
    group: 'security.istio.io',
    version: 'v1',
    kind: 'PeerAuthentication',
    plural: 'peerauthentications',
    singular: 'peerauthentication',
    namespaced: true,
    shortNames: ['pa'],
  },
  {
    group: 'kyverno.io',
    version: 'v1',
    kind: 'ClusterPolicy',
    plural: 'clusterpolicies',
    singular: 'clusterpolicy',
    namespaced: false,
    shortNames: ['cpol'],
  },
  {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    kind: 'PolicyReport',
    plural: 'policyreports',
    singular: 'policyreport',
    namespaced: true,
    shortNames: ['polr'],
  },
  {
    group: 'aquasecurity.github.io',
    version: 'v1alpha1',
    kind: 'VulnerabilityReport',
    plural: 'vulnerabilityreports',
    singular: 'vulnerabilityreport',
    namespaced: true,
    shortNames: ['vuln'],
  },
  // Served empty, so that Backstage's Kubernetes plugin finds every kind it asks for.
  ...(
    [
      ['', 'Service', 'services', ['svc']],
      ['', 'ConfigMap', 'configmaps', ['cm']],
      ['', 'LimitRange', 'limitranges', ['limits']],
      ['', 'ResourceQuota', 'resourcequotas', ['quota']],
      ['apps', 'ReplicaSet', 'replicasets', ['rs']],
      ['apps', 'StatefulSet', 'statefulsets', ['sts']],
      ['apps', 'DaemonSet', 'daemonsets', ['ds']],
      ['batch', 'Job', 'jobs', []],
      ['networking.k8s.io', 'Ingress', 'ingresses', ['ing']],
    ] as const
  ).map(([group, kind, plural, shortNames]) => ({
    group,
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [...shortNames],
  })),
  {
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'AnalysisTemplate',
    plural: 'analysistemplates',
    singular: 'analysistemplate',
    namespaced: true,
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    kind: 'AnalysisRun',
    plural: 'analysisruns',
    singular: 'analysisrun',
    namespaced: true,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    namespaced: true,
    shortNames: ['hpa'],
  },
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

const byApiVersionAndKind = new Map(
  RESOURCE_TYPES.map(t => [`${apiVersionOf(t)}/${t.kind}`, t]),
);

/** The resource type of an object, by its apiVersion and kind. */
export function resourceTypeOf(
  object: Pick<KubeObject, 'apiVersion' | 'kind'>,
): ResourceType {
  const type = byApiVersionAndKind.get(`${object.apiVersion}/${object.kind}`);
  if (!type) {
    throw new Error(
      `the sandbox does not serve ${object.apiVersion} ${object.kind}`,
    );
  }
  return type;
}

/** The resource type served at a group, version and plural, if any. */
export function findResourceType(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    t => t.group === group && t.version === version && t.plural === plural,
  );
}

/** The resource type of a kind the sandbox serves, for its own controllers. */
export function resourceTypeOfKind(kind: string): ResourceType {
  const type = RESOURCE_TYPES.find(t => t.kind === kind);
  if (!type) throw new Error(`the sandbox does not serve ${kind}`);
  return type;
}
