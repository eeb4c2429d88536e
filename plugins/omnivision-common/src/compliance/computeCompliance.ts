import type {
  ComplianceSnapshot,
  DeclaredControls,
} from './ComplianceSnapshot';
import {
  COMPLIANCE_CONTROLS,
  ComplianceControlId,
  ComplianceOptions,
  ComplianceStatus,
  ControlResult,
  DEFAULT_COMPLIANCE_OPTIONS,
} from './complianceControls';

const WORKLOAD_IDENTITY_ANNOTATION = {
  aws: 'eks.amazonaws.com/role-arn',
  gcp: 'iam.gke.io/gcp-service-account',
};
const STATIC_CLOUD_KEYS =
  /^(AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|GOOGLE_APPLICATION_CREDENTIALS|.*service[-_]?account.*\.json|credentials\.json|key\.json)$/i;

type Verdict = Pick<ControlResult, 'status' | 'evidence'>;
const unknown = (why: string): Verdict => ({
  status: 'unknown',
  evidence: [why],
});

function mtls(s: ComplianceSnapshot, o: ComplianceOptions): Verdict {
  if (!s.peerAuthentications)
    return unknown('PeerAuthentications could not be read');
  const meshWide = s.peerAuthentications.find(
    p => p.namespace === o.meshRootNamespace && !p.hasSelector,
  );
  const weak = s.peerAuthentications.filter(
    p => p.mode === 'PERMISSIVE' || p.mode === 'DISABLE',
  );
  const evidence = weak.map(
    p =>
      `${p.namespace}/${p.name} sets mTLS ${p.mode}${
        p.hasSelector ? ' for selected workloads' : ''
      }`,
  );
  if (!meshWide || meshWide.mode !== 'STRICT') {
    evidence.unshift(
      meshWide
        ? `${o.meshRootNamespace}/${meshWide.name} sets mTLS ${
            meshWide.mode ?? 'UNSET'
          }`
        : `no mesh-wide PeerAuthentication in ${o.meshRootNamespace}`,
    );
    return { status: 'fail', evidence };
  }
  if (weak.length > 0) return { status: 'fail', evidence };
  return {
    status: 'pass',
    evidence: [
      `${o.meshRootNamespace}/${meshWide.name} sets mTLS STRICT; no namespace or workload relaxes it`,
    ],
  };
}

function hipaaPolicy(s: ComplianceSnapshot, o: ComplianceOptions): Verdict {
  if (!s.clusterPolicies)
    return unknown('Kyverno ClusterPolicies could not be read');
  const policies = s.clusterPolicies.filter(p =>
    p.requiredLabels.includes(o.hipaaLabel),
  );
  const enforcing = policies.filter(p => p.action.toLowerCase() === 'enforce');
  if (enforcing.length === 0) {
    return {
      status: 'fail',
      evidence: policies.length
        ? policies.map(
            p =>
              `ClusterPolicy ${p.name} only audits ${o.hipaaLabel} (${p.action})`,
          )
        : [`no ClusterPolicy requires ${o.hipaaLabel}`],
    };
  }
  if (!s.policyReports) return unknown('PolicyReports could not be read');
  const names = new Set(policies.map(p => p.name));
  const failures = s.policyReports.flatMap(r =>
    r.failures
      .filter(f => names.has(f.policy))
      .map(
        f =>
          `${r.namespace}: ${f.resource} fails ${f.policy}${
            f.message ? `: ${f.message}` : ''
          }`,
      ),
  );
  if (failures.length > 0) return { status: 'fail', evidence: failures };
  return {
    status: 'pass',
    evidence: enforcing.map(
      p =>
        `ClusterPolicy ${p.name} enforces ${o.hipaaLabel}; no PolicyReport failure`,
    ),
  };
}

function podSecurity(s: ComplianceSnapshot, o: ComplianceOptions): Verdict {
  if (!s.namespaces) return unknown('Namespaces could not be read');
  const [key, value] = o.applicationNamespaceLabel.split('=');
  const apps = s.namespaces.filter(n => n.labels[key] === value);
  if (apps.length === 0)
    return unknown(
      `no application namespace (label ${o.applicationNamespaceLabel})`,
    );
  const weak = apps.filter(
    n => n.labels['pod-security.kubernetes.io/enforce'] !== 'restricted',
  );
  if (weak.length > 0) {
    return {
      status: 'fail',
      evidence: weak.map(
        n =>
          `namespace ${n.name} enforces ${
            n.labels['pod-security.kubernetes.io/enforce'] ??
            'no Pod Security level'
          }`,
      ),
    };
  }
  return {
    status: 'pass',
    evidence: apps.map(n => `namespace ${n.name} enforces restricted`),
  };
}

function vulnerabilities(s: ComplianceSnapshot): Verdict {
  if (!s.vulnerabilityReports)
    return unknown('Trivy VulnerabilityReports could not be read');
  const bad = s.vulnerabilityReports.filter(r => r.critical > 0 || r.high > 0);
  if (bad.length > 0) {
    return {
      status: 'fail',
      evidence: bad.flatMap(r => {
        const findings = r.findings.filter(
          f => f.severity === 'CRITICAL' || f.severity === 'HIGH',
        );
        return findings.length
          ? findings.map(
              f => `${r.image}: ${f.id} (${f.severity}) in ${f.resource}`,
            )
          : [`${r.image}: ${r.critical} critical, ${r.high} high`];
      }),
    };
  }
  return {
    status: 'pass',
    evidence: [
      `${s.vulnerabilityReports.length} scanned images without High or Critical findings`,
    ],
  };
}

function imageSignatures(s: ComplianceSnapshot): Verdict {
  if (!s.clusterPolicies)
    return unknown('Kyverno ClusterPolicies could not be read');
  const verifying = s.clusterPolicies.filter(p => p.verifiesImages);
  const enforcing = verifying.filter(p => p.action.toLowerCase() === 'enforce');
  if (enforcing.length === 0) {
    return {
      status: 'fail',
      evidence: verifying.length
        ? verifying.map(
            p => `ClusterPolicy ${p.name} verifies images but only audits`,
          )
        : ['no ClusterPolicy verifies image signatures'],
    };
  }
  return {
    status: 'pass',
    evidence: enforcing.map(
      p => `ClusterPolicy ${p.name} verifies image signatures`,
    ),
  };
}

function workloadIdentity(
  s: ComplianceSnapshot,
  o: ComplianceOptions,
): Verdict {
  if (
    !s.serviceAccounts ||
    !s.secrets ||
    !s.workloadServiceAccounts ||
    !s.namespaces
  ) {
    return unknown('service accounts, secrets or pods could not be read');
  }
  const [key, value] = o.applicationNamespaceLabel.split('=');
  const appNamespaces = new Set(
    s.namespaces.filter(n => n.labels[key] === value).map(n => n.name),
  );
  const annotation = WORKLOAD_IDENTITY_ANNOTATION[s.cloud];
  const evidence: string[] = [];
  const used = s.workloadServiceAccounts.filter(w =>
    appNamespaces.has(w.namespace),
  );
  for (const { namespace, name } of used) {
    const sa = s.serviceAccounts.find(
      a => a.namespace === namespace && a.name === name,
    );
    if (!sa?.annotations[annotation])
      evidence.push(
        `service account ${namespace}/${name} has no ${annotation}`,
      );
  }
  for (const secret of s.secrets.filter(x => appNamespaces.has(x.namespace))) {
    const keys = secret.dataKeys.filter(k => STATIC_CLOUD_KEYS.test(k));
    if (keys.length)
      evidence.push(
        `secret ${secret.namespace}/${
          secret.name
        } holds static cloud keys (${keys.join(', ')})`,
      );
  }
  if (evidence.length > 0) return { status: 'fail', evidence };
  return {
    status: 'pass',
    evidence: [
      `${used.length} workload service accounts use ${annotation}; no static cloud keys in application namespaces`,
    ],
  };
}

function declared(value: boolean | string | undefined, what: string): Verdict {
  if (value === undefined)
    return unknown(`the cluster's catalog entity does not declare ${what}`);
  if (value === false)
    return {
      status: 'fail',
      evidence: [`the cluster's catalog entity declares no ${what}`],
    };
  return {
    status: 'declared',
    evidence: [
      `declared in the cluster's catalog entity${
        typeof value === 'string' ? `: ${value}` : ''
      }`,
    ],
  };
}

/**
 * Judges a cluster against OmniVision's HIPAA controls. Each control passes or fails with its
 * evidence, is `unknown` when its objects could not be read, or `declared` for what no API can
 * observe (encryption at rest, administrator sign-in), as the cluster's catalog entity says.
 *
 * @public
 */
export function computeCompliance(
  snapshot: ComplianceSnapshot,
  declaredControls: DeclaredControls,
  options: ComplianceOptions = DEFAULT_COMPLIANCE_OPTIONS,
): ComplianceStatus {
  const verdicts: Record<ComplianceControlId, Verdict> = {
    mtls: mtls(snapshot, options),
    'hipaa-policy': hipaaPolicy(snapshot, options),
    'pod-security': podSecurity(snapshot, options),
    vulnerabilities: vulnerabilities(snapshot),
    'image-signatures': imageSignatures(snapshot),
    'workload-identity': workloadIdentity(snapshot, options),
    'encryption-at-rest': declared(
      declaredControls.encryptionAtRest,
      'encryption at rest',
    ),
    'admin-sign-in': declared(
      declaredControls.adminSignIn,
      'an administrator sign-in',
    ),
  };
  const controls = COMPLIANCE_CONTROLS.map(c => ({
    id: c.id,
    title: c.title,
    ...verdicts[c.id],
  }));
  const good = controls.filter(
    c => c.status === 'pass' || c.status === 'declared',
  ).length;
  return {
    controls,
    score: good / controls.length,
    compliant: controls.every(
      c => c.status === 'pass' || c.status === 'declared',
    ),
  };
}
