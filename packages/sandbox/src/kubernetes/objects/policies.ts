import type { V1Condition } from '@kubernetes/client-node';
import type { ClusterSpec } from '../SimulatedCluster';
import { registryFor } from './images';
import { CustomResource, Json, SEED_TIME } from './kubeJson';
import { APP_NAMESPACE, MODELS_NAMESPACE } from './namespaces';
import { HIPAA_LABEL } from '@internal/plugin-omnivision-common';

/** The security policies of a simulated cluster: Istio's mTLS and Kyverno's ClusterPolicies. */

/** Istio's mutual TLS modes. */
export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** An Istio PeerAuthentication (`security.istio.io/v1`). */
export type PeerAuthentication = CustomResource<
  'security.istio.io/v1',
  'PeerAuthentication'
> & { spec: { mtls: { mode: MtlsMode } } };

/** Which resources a Kyverno rule applies to. */
export type KyvernoResourceFilter = {
  resources: { kinds: string[]; namespaces?: string[] };
};

/** A Kyverno rule: a validation pattern or an image verification (the parts used here). */
export type KyvernoRule = {
  name: string;
  match: { any: KyvernoResourceFilter[] };
  validate?: { message: string; pattern: Record<string, unknown> };
  verifyImages?: Array<{
    imageReferences: string[];
    mutateDigest: boolean;
    verifyDigest: boolean;
    attestors: Array<{ entries: Array<{ keys: { publicKeys: string } }> }>;
  }>;
};

/** A Kyverno ClusterPolicy (`kyverno.io/v1`), with the fields the sandbox's policies use. */
export type ClusterPolicy = CustomResource<'kyverno.io/v1', 'ClusterPolicy'> & {
  spec: {
    validationFailureAction: 'Enforce' | 'Audit';
    background: boolean;
    webhookTimeoutSeconds?: number;
    rules: KyvernoRule[];
  };
  status: { ready: boolean; conditions?: Json<V1Condition>[] };
};

/** An Istio PeerAuthentication: the mutual TLS mode of a namespace (or of the mesh). */
export function peerAuthentication(
  name: string,
  ns: string,
  mode: MtlsMode,
): PeerAuthentication {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace: ns, creationTimestamp: SEED_TIME },
    spec: { mtls: { mode } },
  };
}

/** The Kyverno ClusterPolicy that requires `hipaa-compliant=true` on the platform's pods. */
export function hipaaPolicy(action: 'Enforce' | 'Audit'): ClusterPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: 'require-hipaa-compliant-label',
      creationTimestamp: SEED_TIME,
      annotations: {
        'policies.kyverno.io/title': 'Require hipaa-compliant=true',
        'policies.kyverno.io/category': 'HIPAA',
      },
    },
    spec: {
      validationFailureAction: action,
      background: true,
      rules: [
        {
          name: 'check-hipaa-compliant-label',
          match: {
            any: [
              {
                resources: {
                  kinds: ['Pod'],
                  namespaces: [APP_NAMESPACE, MODELS_NAMESPACE],
                },
              },
            ],
          },
          validate: {
            message:
              'Pods handling patient data must carry the label hipaa-compliant=true.',
            pattern: { metadata: { labels: { [HIPAA_LABEL]: 'true' } } },
          },
        },
      ],
    },
    status: {
      ready: true,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: 'Ready',
          lastTransitionTime: SEED_TIME,
        },
      ],
    },
  };
}

/** The Kyverno ClusterPolicy that verifies the cosign signature of the registry's images. */
export function imageSignaturePolicy(spec: ClusterSpec): ClusterPolicy {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: 'verify-image-signatures',
      creationTimestamp: SEED_TIME,
      annotations: {
        'policies.kyverno.io/title': 'Verify image signatures (cosign)',
      },
    },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'verify-cosign-signature',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              imageReferences: [`${registryFor(spec)}/*`],
              mutateDigest: true,
              verifyDigest: true,
              attestors: [
                {
                  entries: [
                    {
                      keys: {
                        publicKeys:
                          '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE(omnivision-cosign)\n-----END PUBLIC KEY-----',
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    status: { ready: true },
  };
}
