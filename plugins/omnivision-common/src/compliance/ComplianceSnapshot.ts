/**
 * The slice of a cluster's objects its compliance is judged from. A list that could not be read
 * (the CRD is not installed, access was denied) is `undefined`, and its controls are `unknown`.
 * Secrets are known by their data keys only, never by their values.
 *
 * @public
 */
export interface ComplianceSnapshot {
  cloud: 'aws' | 'gcp';
  namespaces?: Array<{ name: string; labels: Record<string, string> }>;
  peerAuthentications?: Array<{
    namespace: string;
    name: string;
    mode?: string;
    hasSelector: boolean;
  }>;
  clusterPolicies?: Array<{
    name: string;
    /** `Enforce` or `Audit` (spec.validationFailureAction, or every rule's failureAction). */
    action: string;
    /** Labels the policy's validate rules require, as `key=value`. */
    requiredLabels: string[];
    verifiesImages: boolean;
  }>;
  policyReports?: Array<{
    namespace: string;
    name: string;
    failures: Array<{
      policy: string;
      rule?: string;
      resource: string;
      message?: string;
    }>;
  }>;
  vulnerabilityReports?: Array<{
    namespace: string;
    name: string;
    image: string;
    critical: number;
    high: number;
    findings: Array<{ id: string; severity: string; resource: string }>;
  }>;
  serviceAccounts?: Array<{
    namespace: string;
    name: string;
    annotations: Record<string, string>;
  }>;
  secrets?: Array<{ namespace: string; name: string; dataKeys: string[] }>;
  /** Service accounts that application pods run as, by namespace. */
  workloadServiceAccounts?: Array<{ namespace: string; name: string }>;
}

/** What the cluster's catalog entity declares of controls no API can observe. @public */
export interface DeclaredControls {
  encryptionAtRest?: boolean;
  /** How administrators sign in, e.g. "entra-id"; absent when not declared. */
  adminSignIn?: string;
}
