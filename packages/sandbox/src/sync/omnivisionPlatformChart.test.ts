import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { GITOPS_SEED_DIR } from '../github/seedGitOpsRepository';

const helm = process.env.HELM_BIN ?? 'helm';
const chart = path.join(GITOPS_SEED_DIR, 'charts/omnivision-platform');
const workerValues = path.join(
  GITOPS_SEED_DIR,
  'apps/omnivision-worker/values.yaml',
);
const overrides = (cloud: string) =>
  path.join(
    GITOPS_SEED_DIR,
    `infrastructure/cluster-${cloud}/values-overrides.yaml`,
  );

/** Validation errors of each object against its kind's published schema (null: valid). */
async function validateAgainstPublishedSchemas(
  objects: unknown[],
): Promise<Array<string | null>> {
  const child = execFile(process.execPath, [
    path.join(__dirname, '../testing/validateKubernetesObjects.mjs'),
  ]);
  child.stdin!.end(JSON.stringify(objects));
  let out = '';
  let err = '';
  child.stdout!.on('data', chunk => (out += chunk));
  child.stderr!.on('data', chunk => (err += chunk));
  const code = await new Promise(resolve => child.on('close', resolve));
  if (code !== 0) throw new Error(err || `exit ${code}`);
  return JSON.parse(out);
}

async function helmTemplate(args: string[]): Promise<any[]> {
  const { stdout } = await promisify(execFile)(helm, ['template', ...args]);
  return parseAllDocuments(stdout).map(doc => {
    expect(doc.errors).toEqual([]);
    return doc.toJS();
  });
}

const CLOUDS = [
  {
    cloud: 'aws',
    affinityKey: 'eks.amazonaws.com/nodegroup',
    identity: 'eks.amazonaws.com/role-arn',
    registry: '123456789012.dkr.ecr.us-west-2.amazonaws.com/',
  },
  {
    cloud: 'gcp',
    affinityKey: 'cloud.google.com/gke-accelerator',
    identity: 'iam.gke.io/gcp-service-account',
    registry: 'europe-west1-docker.pkg.dev/omnivision-prod/omnivision/',
  },
];

// Each test runs the real helm, a few seconds apiece on a busy machine.
jest.setTimeout(60_000);

describe('the omnivision-platform chart (gitops/)', () => {
  it('passes helm lint, alone and with each cluster’s values', async () => {
    const lint = (args: string[]) =>
      promisify(execFile)(helm, ['lint', chart, ...args]);
    await expect(lint([])).resolves.toMatchObject({
      stdout: expect.stringContaining('0 chart(s) failed'),
    });
    for (const { cloud } of CLOUDS) {
      await expect(
        lint(['-f', workerValues, '-f', overrides(cloud)]),
      ).resolves.toMatchObject({
        stdout: expect.stringContaining('0 chart(s) failed'),
      });
    }
  });

  it.each(CLOUDS)(
    'renders the $cloud cluster’s worker as objects valid against the Kubernetes and Argo Rollouts schemas',
    async ({ cloud, affinityKey, identity, registry }) => {
      const objects = await helmTemplate([
        'omnivision-worker',
        chart,
        '--namespace',
        'omnivision',
        '-f',
        workerValues,
        '-f',
        overrides(cloud),
      ]);
      expect(objects.map(o => o.kind).sort()).toEqual([
        'AnalysisTemplate',
        'PodDisruptionBudget',
        'PriorityClass',
        'Rollout',
        'Service',
        'ServiceAccount',
      ]);
      expect(await validateAgainstPublishedSchemas(objects)).toEqual(
        objects.map(() => null),
      );
      // The check itself can fail: a Rollout with a wrong field type does not validate.
      const broken = structuredClone(objects.find(o => o.kind === 'Rollout'));
      broken.spec.replicas = 'four';
      expect(await validateAgainstPublishedSchemas([broken])).toEqual([
        expect.stringMatching(/replicas/),
      ]);
      const byKind = (kind: string) => objects.find(o => o.kind === kind);

      const rollout = byKind('Rollout');
      const pod = rollout.spec.template;
      const [container] = pod.spec.containers;
      expect(container.resources.limits['nvidia.com/gpu']).toBe('1');
      expect(container.image).toMatch(
        new RegExp(`^${registry}omnivision-worker@sha256:[a-f0-9]{64}$`),
      );
      expect(pod.metadata.labels['hipaa-compliant']).toBe('true');
      expect(
        pod.spec.affinity.nodeAffinity
          .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
          .matchExpressions[0].key,
      ).toBe(affinityKey);
      // Pod Security "restricted".
      expect(pod.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      // Above the warm pool's pause pods (-1).
      expect(pod.spec.priorityClassName).toBe('omnivision-model');
      expect(byKind('PriorityClass').value).toBeGreaterThan(0);
      // Seed 001's canary, aborted by the GPU health check.
      expect(rollout.spec.strategy.canary.steps).toEqual([
        { setWeight: 5 },
        { pause: { duration: '10m' } },
        { setWeight: 50 },
        { pause: { duration: '30m' } },
      ]);
      const analysis = byKind('AnalysisTemplate');
      expect(rollout.spec.strategy.canary.analysis.templates).toEqual([
        { templateName: analysis.metadata.name },
      ]);
      expect(analysis.metadata.name).toMatch(/gpu-health-check$/);
      expect(analysis.spec.metrics[0].provider.prometheus.query).toContain(
        'DCGM_FI_DEV_XID_ERRORS',
      );
      // The cloud's workload identity, and the Rollout's pods use it.
      expect(byKind('ServiceAccount').metadata.annotations[identity]).toEqual(
        expect.any(String),
      );
      expect(pod.spec.serviceAccountName).toBe(
        byKind('ServiceAccount').metadata.name,
      );
      expect(byKind('PodDisruptionBudget').spec.selector).toEqual(
        rollout.spec.selector,
      );
    },
  );

  it('refuses values that break the contract, with Helm’s reason', async () => {
    const render = (set: string[]) =>
      promisify(execFile)(helm, [
        'template',
        'm',
        chart,
        '-f',
        overrides('aws'),
        ...set.flatMap(s => ['--set', s]),
      ]);
    await expect(
      render(['aiWorker.image=registry.example/m:latest']),
    ).rejects.toThrow(/aiWorker\/image.*does not match pattern/);
    await expect(
      render(['aiWorker.securityContext.allowPrivilegeEscalation=true']),
    ).rejects.toThrow(/allowPrivilegeEscalation/);
    await expect(
      render(['aiWorker.nodeAffinity.key=cloud.google.com/gke-accelerator']),
    ).rejects.toThrow(/not the aws node affinity key/);
  });
});
