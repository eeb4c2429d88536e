// The generated model serializer: its attribute maps are the API's OpenAPI schema.
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../Sandbox';
import { RESOURCE_TYPES } from './resources';
import { COMPLIANCE_BREAKS, breakCompliance } from './complianceBreaks';

/** The client's model type of each core kind: its attribute map is the API's schema. */
const MODEL_TYPES: Record<string, string> = {
  Node: 'V1Node',
  Namespace: 'V1Namespace',
  Pod: 'V1Pod',
  ServiceAccount: 'V1ServiceAccount',
  Secret: 'V1Secret',
  Deployment: 'V1Deployment',
  CronJob: 'V1CronJob',
  PriorityClass: 'V1PriorityClass',
  Service: 'V1Service',
  PodDisruptionBudget: 'V1PodDisruptionBudget',
  HorizontalPodAutoscaler: 'V2HorizontalPodAutoscaler',
};

/** Required fields of the custom resources, from their CRDs. */
const CRD_REQUIRED: Record<string, string[]> = {
  Application: ['spec.source.repoURL', 'spec.destination', 'spec.project'],
  Rollout: ['spec.selector', 'spec.template'],
  AnalysisTemplate: ['spec.metrics'],
  AnalysisRun: ['spec.metrics'],
  PeerAuthentication: ['spec.mtls.mode'],
  ClusterPolicy: ['spec.rules'],
  PolicyReport: ['results', 'summary'],
  VulnerabilityReport: [
    'report.scanner',
    'report.artifact',
    'report.summary',
    'report.vulnerabilities',
  ],
};

/** Lists every path of `original` that the schema round trip lost or changed. */
function differences(
  original: unknown,
  roundTripped: unknown,
  at = '',
): string[] {
  if (original === null || typeof original !== 'object') {
    if (typeof original === 'string' && /^\d{4}-\d\d-\d\dT/.test(original)) {
      return new Date(original).getTime() ===
        new Date(String(roundTripped)).getTime()
        ? []
        : [at];
    }
    return original === roundTripped
      ? []
      : [
          `${at}: ${JSON.stringify(original)} became ${JSON.stringify(
            roundTripped,
          )}`,
        ];
  }
  if (roundTripped === null || typeof roundTripped !== 'object')
    return [`${at}: missing`];
  return Object.entries(original).flatMap(([key, value]) =>
    differences(
      value,
      (roundTripped as Record<string, unknown>)[key],
      `${at}.${key}`,
    ),
  );
}

function get(object: unknown, path: string) {
  return path
    .split('.')
    .reduce<unknown>(
      (o, k) =>
        o && typeof o === 'object'
          ? (o as Record<string, unknown>)[k]
          : undefined,
      object,
    );
}

describe('the seeded fleet, once Argo CD has synced the GitOps repository', () => {
  let sandbox: Sandbox;
  const dataDir = fs.mkdtempSync(join(os.tmpdir(), 'fleet-objects-'));
  beforeAll(async () => {
    sandbox = await Sandbox.create({ dataDir });
    // The first sync renders the worker's chart; the second runs its pods.
    await sandbox.sync.tick();
    await sandbox.sync.tick();
    for (const cluster of sandbox.fleet.clusters.values()) {
      // Broken controls add objects of their own (a Secret, a PERMISSIVE policy, a CVE report).
      for (const control of COMPLIANCE_BREAKS)
        breakCompliance(cluster, control);
    }
  }, 30_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it.each(['eks-us-west-2', 'gke-europe-west1'])(
    'has only objects valid against the Kubernetes schemas on %s',
    name => {
      const cluster = sandbox.fleet.clusters.get(name)!;
      expect(
        cluster.store
          .all(RESOURCE_TYPES.find(t => t.kind === 'Pod')!)
          .filter(p => p.metadata.labels?.app === 'omnivision-worker'),
      ).toHaveLength(4);
      const problems: string[] = [];
      const kinds = new Set<string>();
      for (const type of RESOURCE_TYPES) {
        for (const object of cluster.store.all(type)) {
          const where = `${object.kind} ${object.metadata.name}`;
          const model = MODEL_TYPES[object.kind];
          const back = model
            ? ObjectSerializer.serialize(
                ObjectSerializer.deserialize(object, model, ''),
                model,
                '',
              )
            : undefined;
          const missing = model
            ? differences(object, back)
            : CRD_REQUIRED[object.kind]
                .filter(path => get(object, path) === undefined)
                .map(path => `.${path}: missing`);
          problems.push(...missing.map(m => `${where}${m}`));
          if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(object.metadata.name)) {
            problems.push(`${where}: name is not a DNS-1123 subdomain`);
          }
          kinds.add(object.kind);
        }
      }
      expect(problems).toEqual([]);
      // Every kind the fleet holds was checked, what Argo CD applied from the chart included.
      expect([...kinds].sort()).toEqual(
        expect.arrayContaining([
          'AnalysisTemplate',
          'Application',
          'CronJob',
          'Deployment',
          'Node',
          'Pod',
          'PodDisruptionBudget',
          'PriorityClass',
          'Rollout',
          'Secret',
          'Service',
          'ServiceAccount',
          'VulnerabilityReport',
        ]),
      );
    },
  );
});

describe('the schema check itself', () => {
  it('catches a field the schema does not know', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i' }], nodeNmae: 'typo' },
    };
    const back = ObjectSerializer.serialize(
      ObjectSerializer.deserialize(pod, 'V1Pod', ''),
      'V1Pod',
      '',
    );
    expect(differences(pod, back)).toEqual([
      '.spec.nodeNmae: "typo" became undefined',
    ]);
  });
});
