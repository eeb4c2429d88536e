import {
  APPLICATION_NAMESPACE_LABEL,
  HIPAA_LABEL,
} from '../deployments/gitOpsLayout';

/**
 * The compliance controls the portal judges each cluster on (seed 000's security layers), and
 * the shapes of a judgement.
 */

/** @public */
export type ControlStatus = 'pass' | 'fail' | 'unknown' | 'declared';

/** @public */
export interface ControlResult {
  id: ComplianceControlId;
  title: string;
  status: ControlStatus;
  /** What the verdict rests on: the offending objects on a failure, the proof on a pass. */
  evidence: string[];
}

/** @public */
export const COMPLIANCE_CONTROLS = [
  { id: 'mtls', title: 'Mesh-wide STRICT mTLS' },
  { id: 'hipaa-policy', title: 'Kyverno enforces hipaa-compliant=true' },
  {
    id: 'pod-security',
    title: 'Pod Security restricted on application namespaces',
  },
  {
    id: 'vulnerabilities',
    title: 'No High or Critical vulnerabilities (Trivy)',
  },
  { id: 'image-signatures', title: 'Image signatures verified' },
  { id: 'workload-identity', title: 'Workload identity, no static cloud keys' },
  { id: 'encryption-at-rest', title: 'Encryption at rest' },
  {
    id: 'admin-sign-in',
    title: 'Administrators sign in through the identity provider',
  },
] as const;

/** @public */
export type ComplianceControlId = (typeof COMPLIANCE_CONTROLS)[number]['id'];

/** @public */
export interface ComplianceStatus {
  controls: ControlResult[];
  /** Share of controls that pass or are declared, from 0 to 1. */
  score: number;
  /** True when no control fails and none is unknown. */
  compliant: boolean;
}

/** The options that shape the judgement. @public */
export interface ComplianceOptions {
  /** Istio's root namespace, where the mesh-wide PeerAuthentication lives. */
  meshRootNamespace: string;
  /** How application namespaces are recognised. */
  applicationNamespaceLabel: string;
  /** The label Kyverno must require on application pods. */
  hipaaLabel: string;
}

/** @public */
export const DEFAULT_COMPLIANCE_OPTIONS: ComplianceOptions = {
  meshRootNamespace: 'istio-system',
  applicationNamespaceLabel: `${APPLICATION_NAMESPACE_LABEL}=true`,
  hipaaLabel: `${HIPAA_LABEL}=true`,
};
