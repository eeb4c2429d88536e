import type { CachedResource } from './CachedResource';
import {
  summarizeCronJob,
  summarizeNode,
  summarizePod,
} from './capacitySummaries';
import {
  summarizeClusterPolicy,
  summarizeNamespace,
  summarizePeerAuthentication,
  summarizePolicyReport,
  summarizeSecret,
  summarizeServiceAccount,
  summarizeVulnerabilityReport,
} from './complianceSummaries';
import {
  summarizeAnalysisRun,
  summarizeApplication,
  summarizeRollout,
} from './deliverySummaries';

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
    // Their metadata only: the static-key control needs their data keys' names, which
    // managedFields name, and never their values.
    metadataOnly: true,
    summarize: summarizeSecret,
  },
  rollouts: {
    plural: 'rollouts',
    path: '/apis/argoproj.io/v1alpha1/rollouts',
    summarize: summarizeRollout,
  },
  analysisRuns: {
    plural: 'analysisruns',
    path: '/apis/argoproj.io/v1alpha1/analysisruns',
    summarize: summarizeAnalysisRun,
  },
  applications: {
    plural: 'applications',
    path: '/apis/argoproj.io/v1alpha1/applications',
    summarize: summarizeApplication,
  },
} satisfies Record<string, CachedResource<unknown>>;

/** The name of a resource kind the fleet caches. */
export type FleetResourceName = keyof typeof FLEET_RESOURCES;
