import { parse } from 'yaml';
import { readModelValuesHolding, renderValuesFiles } from './renderValues';
import { estimateDeploymentCost } from './deploymentCost';
import { deploymentBranch } from './deploymentBranch';
import {
  DIGEST,
  PROFILES,
  VERSIONS,
  contextFixture,
  requestFixture,
  versionedContextFixture,
} from '../testing/deploymentFixtures';

describe('renderValuesFiles', () => {
  it('renders one file per region with the cloud toggle and its node affinity', () => {
    const files = renderValuesFiles(requestFixture(), contextFixture());
    expect(files.map(f => [f.region, f.cluster, f.path])).toEqual([
      [
        'us-west-2',
        'eks-us-west-2',
        'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      ],
      [
        'europe-west1',
        'gke-europe-west1',
        'infrastructure/cluster-gcp/models/vidgen-xl.yaml',
      ],
    ]);
    const [aws, gcp] = files.map(f => parse(f.content));
    expect(aws.global).toEqual({ cloudProvider: 'aws' });
    expect(aws.aiWorker.nodeAffinity).toEqual({
      key: 'eks.amazonaws.com/nodegroup',
      operator: 'In',
      values: ['gpu-a100'],
    });
    expect(gcp.global).toEqual({ cloudProvider: 'gcp' });
    expect(gcp.aiWorker.nodeAffinity).toEqual({
      key: 'cloud.google.com/gke-accelerator',
      operator: 'In',
      values: ['nvidia-tesla-a100'],
    });
    for (const values of [aws, gcp]) {
      expect(values.aiWorker.image).toBe(
        `registry.omnivision.ai/models/vidgen-xl@${DIGEST}`,
      );
      expect(values.aiWorker.resources.limits).toEqual({ 'nvidia.com/gpu': 1 });
      expect(values.aiWorker.podLabels['hipaa-compliant']).toBe('true');
      expect(values.aiWorker.priorityClassName).toBe('omnivision-model');
      expect(values.aiWorker.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(values.aiWorker.podSecurityContext).toEqual({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(values.autoscaling).toEqual({
        enabled: true,
        minReplicas: 2,
        maxReplicas: 4,
      });
      expect(values.rollout.canary.steps).toEqual([
        { setWeight: 5 },
        { pause: { duration: '10m' } },
        { setWeight: 50 },
        { pause: { duration: '30m' } },
      ]);
    }
  });

  it('requests MIG slices for a MIG profile', () => {
    const context = contextFixture();
    const [aws] = renderValuesFiles(
      requestFixture({ gpuProfile: 'a100-mig-1g5gb', regions: ['us-west-2'] }),
      context,
    );
    const values = parse(aws.content);
    expect(values.aiWorker.resources.limits).toEqual({
      'nvidia.com/mig-1g.5gb': 1,
    });
    expect(values.aiWorker.nodeAffinity.values).toEqual(['gpu-a100-mig']);
  });

  it('keeps text from the catalog as data: a hostile description cannot add keys', () => {
    const context = contextFixture();
    context.model.dataClassification = 'phi\nkind: Secret\ndata: {}';
    const [file] = renderValuesFiles(
      requestFixture({ regions: ['us-west-2'] }),
      context,
    );
    const values = parse(file.content);
    expect(values.kind).toBeUndefined();
    expect(values.model.dataClassification).toBe('phi\nkind: Secret\ndata: {}');
  });

  it('renders the same bytes for the same request, and no canary for a direct rollout', () => {
    const a = renderValuesFiles(requestFixture(), contextFixture());
    const b = renderValuesFiles(requestFixture(), contextFixture());
    expect(a).toEqual(b);
    const [direct] = renderValuesFiles(
      requestFixture({ rollout: 'direct', regions: ['us-west-2'] }),
      contextFixture(),
    );
    expect(parse(direct.content).rollout.canary.steps).toEqual([]);
  });
});

describe('readModelValuesHolding', () => {
  it('reads back the GPUs a rendered file holds at its most, autoscaled or fixed', () => {
    const context = contextFixture();
    const [scaled] = renderValuesFiles(
      requestFixture({
        minReplicas: 2,
        maxReplicas: 4,
        regions: ['us-west-2'],
      }),
      context,
    );
    const [fixed] = renderValuesFiles(
      requestFixture({
        minReplicas: 3,
        maxReplicas: 3,
        regions: ['us-west-2'],
      }),
      context,
    );
    const perReplica = PROFILES.find(
      p => p.id === requestFixture().gpuProfile,
    )!.gpusPerReplica;
    expect(readModelValuesHolding(scaled.content)).toEqual({
      model: 'vidgen-xl',
      owner: context.model!.owner,
      gpus: perReplica * 4,
    });
    expect(readModelValuesHolding(fixed.content)?.gpus).toBe(perReplica * 3);
  });

  it('reads nothing from a file that is not model values', () => {
    expect(readModelValuesHolding('{ not: yaml')).toBeUndefined();
    expect(
      readModelValuesHolding('global: { cloudProvider: aws }'),
    ).toBeUndefined();
  });
});

describe('estimateDeploymentCost', () => {
  it('prices the fewest and the most replicas in each region, per hour and per month', () => {
    expect(estimateDeploymentCost(requestFixture(), PROFILES[0])).toEqual({
      regions: [
        { region: 'us-west-2', hourlyMinUsd: 8.2, hourlyMaxUsd: 16.4 },
        { region: 'europe-west1', hourlyMinUsd: 7.86, hourlyMaxUsd: 15.72 },
      ],
      hourlyMinUsd: 16.06,
      hourlyMaxUsd: 32.12,
      monthlyMinUsd: 11723.8,
      monthlyMaxUsd: 23447.6,
    });
  });

  it('refuses a region the profile has no price for', () => {
    expect(() => estimateDeploymentCost(requestFixture(), PROFILES[1])).toThrow(
      'GPU profile a10g-1 has no price in europe-west1',
    );
  });
});

describe('renderValuesFiles with model versions', () => {
  const imageOf = (files: Array<{ content: string }>) =>
    files.map(f => parse(f.content).aiWorker.image);

  it("carries the requested version's digest, or the newest signed version's", () => {
    const repository = 'registry.omnivision.ai/models/vidgen-xl';
    expect(
      imageOf(
        renderValuesFiles(
          requestFixture({ version: '2.0.0' }),
          versionedContextFixture(),
        ),
      ),
    ).toEqual([
      `${repository}@${VERSIONS[2].imageDigest}`,
      `${repository}@${VERSIONS[2].imageDigest}`,
    ]);
    expect(
      imageOf(renderValuesFiles(requestFixture(), versionedContextFixture())),
    ).toEqual([
      `${repository}@${VERSIONS[1].imageDigest}`,
      `${repository}@${VERSIONS[1].imageDigest}`,
    ]);
  });

  it('renders nothing for an unsigned version', () => {
    expect(() =>
      renderValuesFiles(
        requestFixture({ version: '2.2.0-rc.1' }),
        versionedContextFixture(),
      ),
    ).toThrow('version 2.2.0-rc.1 of vidgen-xl is not signed');
  });
});

describe('deploymentBranch', () => {
  it('is the same for the same request, in any region order, and differs for another', () => {
    const branch = deploymentBranch(requestFixture());
    expect(branch).toMatch(/^omnivision\/deploy-vidgen-xl-[0-9a-f]{8}$/);
    expect(
      deploymentBranch(
        requestFixture({ regions: ['europe-west1', 'us-west-2'] }),
      ),
    ).toBe(branch);
    expect(deploymentBranch(requestFixture({ maxReplicas: 5 }))).not.toBe(
      branch,
    );
  });

  it('counts a named version, and an empty one as none', () => {
    const branch = deploymentBranch(requestFixture());
    expect(deploymentBranch(requestFixture({ version: '' }))).toBe(branch);
    expect(deploymentBranch(requestFixture({ version: '2.0.0' }))).not.toBe(
      branch,
    );
    expect(deploymentBranch(requestFixture({ version: '2.0.0' }))).not.toBe(
      deploymentBranch(requestFixture({ version: '2.1.0' })),
    );
  });
});
