import type { V1ObjectReference } from '@kubernetes/client-node';
import type { KubeObject } from '../resources';
import { CustomResource, Json, SEED_TIME } from './kubeJson';

/** The compliance reports of a simulated cluster: Kyverno's PolicyReports and Trivy's scans. */

/** One rule's result for one resource in a PolicyReport. */
export type PolicyReportResult = {
  policy: string;
  rule: string;
  result: 'pass' | 'fail' | 'warn' | 'error' | 'skip';
  message: string;
  scored: boolean;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  source: string;
  timestamp: { seconds: number; nanos: number };
  resources: Json<V1ObjectReference>[];
};

/** A PolicyReport (`wgpolicyk8s.io/v1alpha2`), as Kyverno writes one per namespace. */
export type PolicyReport = CustomResource<
  'wgpolicyk8s.io/v1alpha2',
  'PolicyReport'
> & {
  scope: Json<V1ObjectReference>;
  results: PolicyReportResult[];
  summary: Record<PolicyReportResult['result'], number>;
};

/** A Trivy VulnerabilityReport (`aquasecurity.github.io/v1alpha1`) of one container image. */
export type VulnerabilityReport = CustomResource<
  'aquasecurity.github.io/v1alpha1',
  'VulnerabilityReport'
> & {
  report: {
    updateTimestamp: string;
    scanner: { name: string; vendor: string; version: string };
    registry: { server: string };
    artifact: { repository: string; digest: string };
    os: { family: string; name: string };
    summary: Record<
      | 'criticalCount'
      | 'highCount'
      | 'mediumCount'
      | 'lowCount'
      | 'unknownCount'
      | 'noneCount',
      number
    >;
    vulnerabilities: Array<
      Vulnerability & { score: number; primaryLink: string; links: string[] }
    >;
  };
};

/** The PolicyReport of a namespace: the HIPAA label rule's result for each of its pods. */
export function policyReport(
  ns: string,
  pods: KubeObject[],
  failing: string[] = [],
): PolicyReport {
  const results = pods.map((p): PolicyReportResult => {
    const fail = failing.includes(p.metadata.name);
    return {
      policy: 'require-hipaa-compliant-label',
      rule: 'check-hipaa-compliant-label',
      result: fail ? 'fail' : 'pass',
      message: fail
        ? 'validation error: Pods handling patient data must carry the label hipaa-compliant=true.'
        : 'validation rule passed',
      scored: true,
      severity: 'high',
      source: 'kyverno',
      timestamp: { seconds: 1763798400, nanos: 0 },
      resources: [
        { apiVersion: 'v1', kind: 'Pod', name: p.metadata.name, namespace: ns },
      ],
    };
  });
  const fail = results.filter(r => r.result === 'fail').length;
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: `polr-ns-${ns}`,
      namespace: ns,
      creationTimestamp: SEED_TIME,
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: { apiVersion: 'v1', kind: 'Namespace', name: ns },
    results,
    summary: { pass: results.length - fail, fail, warn: 0, error: 0, skip: 0 },
  };
}

/** One finding of a Trivy scan. */
export interface Vulnerability {
  vulnerabilityID: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  resource: string;
  installedVersion: string;
  fixedVersion: string;
  title: string;
}

/** The Trivy VulnerabilityReport of a workload's `main` container image. */
export function vulnerabilityReport(
  ns: string,
  workload: string,
  image: string,
  vulnerabilities: Vulnerability[] = [],
): VulnerabilityReport {
  const [repository, digest] = image.split('@');
  const slash = repository.indexOf('/');
  const count = (s: string) =>
    vulnerabilities.filter(v => v.severity === s).length;
  return {
    apiVersion: 'aquasecurity.github.io/v1alpha1',
    kind: 'VulnerabilityReport',
    metadata: {
      name: `replicaset-${workload}-main`,
      namespace: ns,
      creationTimestamp: SEED_TIME,
      labels: {
        'trivy-operator.resource.kind': 'ReplicaSet',
        'trivy-operator.resource.name': workload,
        'trivy-operator.resource.namespace': ns,
        'trivy-operator.container.name': 'main',
      },
    },
    report: {
      updateTimestamp: SEED_TIME,
      scanner: { name: 'Trivy', vendor: 'Aqua Security', version: '0.56.2' },
      registry: { server: repository.slice(0, slash) },
      artifact: {
        repository: repository.slice(slash + 1),
        digest: digest ?? '',
      },
      os: { family: 'debian', name: '12.7' },
      summary: {
        criticalCount: count('CRITICAL'),
        highCount: count('HIGH'),
        mediumCount: count('MEDIUM'),
        lowCount: count('LOW'),
        unknownCount: 0,
        noneCount: 0,
      },
      vulnerabilities: vulnerabilities.map(v => ({
        ...v,
        score: v.severity === 'CRITICAL' ? 9.8 : 7.5,
        primaryLink: `https://avd.aquasec.com/nvd/${v.vulnerabilityID.toLowerCase()}`,
        links: [],
      })),
    },
  };
}
