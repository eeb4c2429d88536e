import { ComplianceSnapshot, DeclaredControls } from './ComplianceSnapshot';
import { computeCompliance } from './computeCompliance';

/** A compliant AWS cluster, as the seeds describe it. */
function compliantSnapshot(): ComplianceSnapshot {
  return {
    cloud: 'aws',
    namespaces: [
      {
        name: 'istio-system',
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
      },
      {
        name: 'omnivision',
        labels: {
          'omnivision.ai/application': 'true',
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
      {
        name: 'omnivision-models',
        labels: {
          'omnivision.ai/application': 'true',
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    ],
    peerAuthentications: [
      {
        namespace: 'istio-system',
        name: 'default',
        mode: 'STRICT',
        hasSelector: false,
      },
    ],
    clusterPolicies: [
      {
        name: 'require-hipaa-compliant-label',
        action: 'Enforce',
        requiredLabels: ['hipaa-compliant=true'],
        verifiesImages: false,
      },
      {
        name: 'verify-image-signatures',
        action: 'Enforce',
        requiredLabels: [],
        verifiesImages: true,
      },
    ],
    policyReports: [
      { namespace: 'omnivision', name: 'polr-ns-omnivision', failures: [] },
    ],
    vulnerabilityReports: [
      {
        namespace: 'omnivision',
        name: 'replicaset-worker-main',
        image: 'ecr/worker@sha256:1',
        critical: 0,
        high: 0,
        findings: [
          { id: 'CVE-2024-45491', severity: 'MEDIUM', resource: 'libexpat1' },
        ],
      },
    ],
    serviceAccounts: [
      {
        namespace: 'omnivision',
        name: 'omnivision-worker',
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/w' },
      },
    ],
    secrets: [
      {
        namespace: 'omnivision',
        name: 'tls',
        dataKeys: ['tls.crt', 'tls.key'],
      },
    ],
    workloadServiceAccounts: [
      { namespace: 'omnivision', name: 'omnivision-worker' },
    ],
  };
}

const declaredAll: DeclaredControls = {
  encryptionAtRest: true,
  adminSignIn: 'entra-id',
};
const statusOf = (s: ComplianceSnapshot, id: string, declared = declaredAll) =>
  computeCompliance(s, declared).controls.find(c => c.id === id)!;

describe('computeCompliance', () => {
  it('passes a compliant cluster on every control, with a full score', () => {
    const result = computeCompliance(compliantSnapshot(), declaredAll);
    expect(result.controls.map(c => [c.id, c.status])).toEqual([
      ['mtls', 'pass'],
      ['hipaa-policy', 'pass'],
      ['pod-security', 'pass'],
      ['vulnerabilities', 'pass'],
      ['image-signatures', 'pass'],
      ['workload-identity', 'pass'],
      ['encryption-at-rest', 'declared'],
      ['admin-sign-in', 'declared'],
    ]);
    expect(result).toMatchObject({ score: 1, compliant: true });
  });

  it('fails mTLS when a namespace overrides it to PERMISSIVE, naming the PeerAuthentication', () => {
    const s = compliantSnapshot();
    s.peerAuthentications!.push({
      namespace: 'omnivision',
      name: 'allow-plaintext',
      mode: 'PERMISSIVE',
      hasSelector: false,
    });
    expect(statusOf(s, 'mtls')).toMatchObject({
      status: 'fail',
      evidence: ['omnivision/allow-plaintext sets mTLS PERMISSIVE'],
    });
  });

  it('fails mTLS for a workload that disables it, and without a mesh-wide policy', () => {
    const s = compliantSnapshot();
    s.peerAuthentications = [
      {
        namespace: 'omnivision',
        name: 'legacy',
        mode: 'DISABLE',
        hasSelector: true,
      },
    ];
    expect(statusOf(s, 'mtls')).toMatchObject({
      status: 'fail',
      evidence: [
        'no mesh-wide PeerAuthentication in istio-system',
        'omnivision/legacy sets mTLS DISABLE for selected workloads',
      ],
    });
  });

  it('fails the HIPAA policy on PolicyReport failures, and when the policy only audits', () => {
    const s = compliantSnapshot();
    s.policyReports![0].failures.push({
      policy: 'require-hipaa-compliant-label',
      resource: 'Pod/debug-shell',
      message: 'label missing',
    });
    expect(statusOf(s, 'hipaa-policy')).toMatchObject({
      status: 'fail',
      evidence: [
        'omnivision: Pod/debug-shell fails require-hipaa-compliant-label: label missing',
      ],
    });
    s.clusterPolicies![0].action = 'Audit';
    expect(statusOf(s, 'hipaa-policy').evidence).toEqual([
      'ClusterPolicy require-hipaa-compliant-label only audits hipaa-compliant=true (Audit)',
    ]);
  });

  it('fails Pod Security for an application namespace below restricted, naming it', () => {
    const s = compliantSnapshot();
    s.namespaces![2].labels['pod-security.kubernetes.io/enforce'] = 'baseline';
    delete s.namespaces![1].labels['pod-security.kubernetes.io/enforce'];
    expect(statusOf(s, 'pod-security')).toMatchObject({
      status: 'fail',
      evidence: [
        'namespace omnivision enforces no Pod Security level',
        'namespace omnivision-models enforces baseline',
      ],
    });
  });

  it('fails on a Critical finding, naming the image and the CVE', () => {
    const s = compliantSnapshot();
    s.vulnerabilityReports!.push({
      namespace: 'omnivision',
      name: 'replicaset-legacy-main',
      image: 'ecr/worker@sha256:old',
      critical: 1,
      high: 0,
      findings: [
        { id: 'CVE-2024-3094', severity: 'CRITICAL', resource: 'xz-utils' },
      ],
    });
    expect(statusOf(s, 'vulnerabilities')).toMatchObject({
      status: 'fail',
      evidence: ['ecr/worker@sha256:old: CVE-2024-3094 (CRITICAL) in xz-utils'],
    });
  });

  it('fails image signatures without an enforcing verifyImages policy', () => {
    const s = compliantSnapshot();
    s.clusterPolicies = s.clusterPolicies!.filter(p => !p.verifiesImages);
    expect(statusOf(s, 'image-signatures')).toMatchObject({
      status: 'fail',
      evidence: ['no ClusterPolicy verifies image signatures'],
    });
  });

  it('fails workload identity for a static key secret and an unannotated service account', () => {
    const s = compliantSnapshot();
    s.secrets!.push({
      namespace: 'omnivision',
      name: 'legacy-s3-credentials',
      dataKeys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    });
    s.workloadServiceAccounts!.push({
      namespace: 'omnivision',
      name: 'default',
    });
    expect(statusOf(s, 'workload-identity')).toMatchObject({
      status: 'fail',
      evidence: [
        'service account omnivision/default has no eks.amazonaws.com/role-arn',
        'secret omnivision/legacy-s3-credentials holds static cloud keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)',
      ],
    });
  });

  it('uses the GKE annotation on gcp', () => {
    const s = { ...compliantSnapshot(), cloud: 'gcp' as const };
    expect(statusOf(s, 'workload-identity').status).toBe('fail');
    s.serviceAccounts = [
      {
        namespace: 'omnivision',
        name: 'omnivision-worker',
        annotations: {
          'iam.gke.io/gcp-service-account': 'w@p.iam.gserviceaccount.com',
        },
      },
    ];
    expect(statusOf(s, 'workload-identity').status).toBe('pass');
  });

  it('is unknown for what could not be read or is not declared, and then not compliant', () => {
    const s = compliantSnapshot();
    delete s.peerAuthentications;
    const result = computeCompliance(s, {});
    expect(
      result.controls.filter(c => c.status === 'unknown').map(c => c.id),
    ).toEqual(['mtls', 'encryption-at-rest', 'admin-sign-in']);
    expect(result).toMatchObject({ score: 5 / 8, compliant: false });
    expect(
      statusOf(compliantSnapshot(), 'encryption-at-rest', {
        encryptionAtRest: false,
      }).status,
    ).toBe('fail');
  });
});
