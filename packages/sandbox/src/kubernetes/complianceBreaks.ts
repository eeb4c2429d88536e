import type { SimulatedCluster } from './SimulatedCluster';
import { resourceTypeOfKind } from './resources';
import { digestOf, registryFor } from './objects/images';
import { APP_NAMESPACE, MODELS_NAMESPACE } from './objects/namespaces';
import { hipaaPolicy, peerAuthentication } from './objects/policies';
import { policyReport, vulnerabilityReport } from './objects/reports';
import { HIPAA_LABEL } from '@internal/plugin-omnivision-common';

/** The compliance controls the admin API can break on a cluster (and restore). */
export const COMPLIANCE_BREAKS = [
  'mtls',
  'pod-security',
  'critical-cve',
  'static-key',
  'hipaa-policy',
] as const;
export type ComplianceBreak = (typeof COMPLIANCE_BREAKS)[number];

export function isComplianceBreak(value: unknown): value is ComplianceBreak {
  return COMPLIANCE_BREAKS.includes(value as ComplianceBreak);
}

const NAMESPACES = resourceTypeOfKind('Namespace');
const PEER_AUTH = resourceTypeOfKind('PeerAuthentication');
const SECRETS = resourceTypeOfKind('Secret');
const VULN = resourceTypeOfKind('VulnerabilityReport');
const PODS = resourceTypeOfKind('Pod');

/** The platform's own pods, which the namespace's PolicyReport covers. */
function platformPods(cluster: SimulatedCluster) {
  return cluster.store.list(PODS, {
    namespace: APP_NAMESPACE,
    labelSelector: `${HIPAA_LABEL}=true,app in (omnivision-worker,omnivision-ui)`,
  }).items;
}

const CVE_WORKLOAD = 'omnivision-worker-legacy-84f6d';
const STATIC_KEY_SECRET = 'legacy-s3-credentials';
const UNLABELLED_POD = 'debug-shell-unlabelled';

/** Breaks one control the way it breaks in real clusters. */
export function breakCompliance(
  cluster: SimulatedCluster,
  control: ComplianceBreak,
) {
  const store = cluster.store;
  switch (control) {
    case 'mtls':
      store.apply(
        peerAuthentication('allow-plaintext', APP_NAMESPACE, 'PERMISSIVE'),
      );
      break;
    case 'pod-security':
      store.update(NAMESPACES, undefined, MODELS_NAMESPACE, ns => {
        ns.metadata.labels = {
          ...ns.metadata.labels,
          'pod-security.kubernetes.io/enforce': 'baseline',
        };
      });
      break;
    case 'critical-cve': {
      const image = `${registryFor(cluster.spec)}/omnivision-worker@${digestOf(
        'omnivision-worker:1.4.0',
      )}`;
      store.apply(
        vulnerabilityReport(APP_NAMESPACE, CVE_WORKLOAD, image, [
          {
            vulnerabilityID: 'CVE-2024-3094',
            severity: 'CRITICAL',
            resource: 'xz-utils',
            installedVersion: '5.6.0-0.2',
            fixedVersion: '5.6.1+really5.4.5-1',
            title: 'xz: malicious code in distributed source',
          },
          {
            vulnerabilityID: 'CVE-2023-44487',
            severity: 'HIGH',
            resource: 'golang.org/x/net',
            installedVersion: 'v0.15.0',
            fixedVersion: '0.17.0',
            title: 'HTTP/2 rapid reset can cause excessive work',
          },
        ]),
      );
      break;
    }
    case 'static-key':
      // As `kubectl create secret generic legacy-s3-credentials --from-literal=...` writes it.
      store.apply(
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: STATIC_KEY_SECRET,
            namespace: APP_NAMESPACE,
            labels: { app: 'omnivision-worker' },
          },
          type: 'Opaque',
          data: {
            AWS_ACCESS_KEY_ID: Buffer.from('AKIAEXAMPLESANDBOX00').toString(
              'base64',
            ),
            AWS_SECRET_ACCESS_KEY: Buffer.from(
              'sandbox-not-a-real-secret',
            ).toString('base64'),
          },
        },
        { fieldManager: 'kubectl-create' },
      );
      break;
    case 'hipaa-policy': {
      store.apply(hipaaPolicy('Audit'));
      const pods = platformPods(cluster);
      const offender = {
        ...pods[0],
        metadata: {
          name: UNLABELLED_POD,
          namespace: APP_NAMESPACE,
          labels: { app: 'debug-shell' },
        },
      };
      store.apply(offender);
      store.apply(
        policyReport(APP_NAMESPACE, [...pods, offender], [UNLABELLED_POD]),
      );
      break;
    }
    default:
      throw new Error(`unknown control ${control satisfies never}`);
  }
}

/** Restores one control to its compliant seed state. */
export function restoreCompliance(
  cluster: SimulatedCluster,
  control: ComplianceBreak,
) {
  const store = cluster.store;
  const remove = (t: typeof PODS, ns: string | undefined, name: string) => {
    if (store.get(t, ns, name)) store.delete(t, ns, name);
  };
  switch (control) {
    case 'mtls':
      remove(PEER_AUTH, APP_NAMESPACE, 'allow-plaintext');
      break;
    case 'pod-security':
      store.update(NAMESPACES, undefined, MODELS_NAMESPACE, ns => {
        ns.metadata.labels = {
          ...ns.metadata.labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
        };
      });
      break;
    case 'critical-cve':
      remove(VULN, APP_NAMESPACE, `replicaset-${CVE_WORKLOAD}-main`);
      break;
    case 'static-key':
      remove(SECRETS, APP_NAMESPACE, STATIC_KEY_SECRET);
      break;
    case 'hipaa-policy': {
      store.apply(hipaaPolicy('Enforce'));
      remove(PODS, APP_NAMESPACE, UNLABELLED_POD);
      const pods = platformPods(cluster);
      store.apply(policyReport(APP_NAMESPACE, pods));
      break;
    }
    default:
      throw new Error(`unknown control ${control satisfies never}`);
  }
}
