import type { ComplianceSnapshot } from '@internal/plugin-omnivision-common';
import { count } from './capacitySummaries';

/**
 * What the fleet keeps of the objects the compliance controls read: namespaces, Istio
 * PeerAuthentications, Kyverno policies and reports, Trivy reports, service accounts and the
 * names of secrets' keys (read from their metadata only).
 */

type Element<T> = T extends Array<infer E> ? E : never;
/** What is kept of a namespace. */
export type NamespaceSummary = Element<ComplianceSnapshot['namespaces']>;
/** What is kept of a PeerAuthentication. */
export type PeerAuthenticationSummary = Element<
  ComplianceSnapshot['peerAuthentications']
>;
/** What is kept of a Kyverno ClusterPolicy. */
export type ClusterPolicySummary = Element<
  ComplianceSnapshot['clusterPolicies']
>;
/** What is kept of a PolicyReport. */
export type PolicyReportSummary = Element<ComplianceSnapshot['policyReports']>;
/** What is kept of a VulnerabilityReport. */
export type VulnerabilityReportSummary = Element<
  ComplianceSnapshot['vulnerabilityReports']
>;
/** What is kept of a service account. */
export type ServiceAccountSummary = Element<
  ComplianceSnapshot['serviceAccounts']
>;
/** What is kept of a secret: never its values. */
export type SecretSummary = Element<ComplianceSnapshot['secrets']>;

/** A namespace: its name and labels. */
export function summarizeNamespace(ns: any): NamespaceSummary {
  return { name: ns.metadata?.name, labels: ns.metadata?.labels ?? {} };
}

/** An Istio PeerAuthentication: its mTLS mode and whether it selects workloads. */
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

/** A Kyverno ClusterPolicy: its action, required labels, image verification. */
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

/** A PolicyReport: its failures only. */
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

/** A Trivy VulnerabilityReport: its image, counts and High/Critical findings. */
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

/** A service account: its annotations (cloud identity bindings). */
export function summarizeServiceAccount(sa: any): ServiceAccountSummary {
  return {
    namespace: sa.metadata?.namespace,
    name: sa.metadata?.name,
    annotations: sa.metadata?.annotations ?? {},
  };
}

/**
 * The names of a Secret's data keys, from its metadata alone: each writer's entry of
 * `metadata.managedFields` names the fields it set (`f:data` → `f:AWS_ACCESS_KEY_ID`), never
 * their values. The `kubectl.kubernetes.io/last-applied-configuration` annotation is never read:
 * a client-side `kubectl apply` leaves the values there.
 */
function dataKeysOf(metadata: any): string[] {
  const keys = new Set<string>();
  for (const entry of metadata?.managedFields ?? []) {
    if (entry?.fieldsType !== 'FieldsV1') continue;
    for (const field of ['f:data', 'f:stringData']) {
      for (const key of Object.keys(entry.fieldsV1?.[field] ?? {})) {
        if (key.startsWith('f:')) keys.add(key.slice('f:'.length));
      }
    }
  }
  return [...keys];
}

/**
 * A Secret, read as `PartialObjectMetadata`: its name and the names of its data keys (from
 * managedFields). Its values never reach the portal; its `type` is not metadata, and the
 * static-key control does not need it (it judges the keys' names).
 */
export function summarizeSecret(secret: any): SecretSummary {
  return {
    namespace: secret.metadata?.namespace,
    name: secret.metadata?.name,
    dataKeys: dataKeysOf(secret.metadata),
  };
}
