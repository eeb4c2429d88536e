import {
  summarizeCronJob,
  summarizeNode,
  summarizePod,
} from './capacitySummaries';
import {
  summarizeClusterPolicy,
  summarizePeerAuthentication,
  summarizePolicyReport,
  summarizeSecret,
  summarizeVulnerabilityReport,
} from './complianceSummaries';
import {
  summarizeAnalysisRun,
  summarizeApplication,
  summarizeRollout,
} from './deliverySummaries';

describe('what the fleet caches keep of each object', () => {
  it('keeps a MIG node: GPU product, placement, whole GPUs and slices apart', () => {
    expect(
      summarizeNode({
        metadata: {
          name: 'a100-mig-0',
          labels: {
            'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB',
            'nvidia.com/gpu.memory': '40960',
            'eks.amazonaws.com/nodegroup': 'gpu-a100-mig',
          },
        },
        spec: {},
        status: {
          allocatable: {
            cpu: '95690m',
            'nvidia.com/gpu': '0',
            'nvidia.com/mig-1g.5gb': '56',
          },
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
        },
      }),
    ).toEqual({
      name: 'a100-mig-0',
      ready: true,
      unschedulable: false,
      gpuProduct: 'NVIDIA-A100-SXM4-40GB',
      gpuMemoryMiB: 40960,
      placement: 'gpu-a100-mig',
      gpuAllocatable: { 'nvidia.com/gpu': 0, 'nvidia.com/mig-1g.5gb': 56 },
    });
  });

  it('keeps a cordoned node that is not ready, with its problems', () => {
    const node = summarizeNode({
      metadata: {
        name: 'l4-3',
        labels: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      },
      spec: { unschedulable: true },
      status: {
        allocatable: { 'nvidia.com/gpu': '1' },
        conditions: [
          { type: 'DiskPressure', status: 'True' },
          { type: 'Ready', status: 'Unknown' },
        ],
      },
    });
    expect(node).toMatchObject({
      ready: false,
      unschedulable: true,
      placement: 'nvidia-l4',
      problems: ['DiskPressure=True', 'Ready=Unknown'],
    });
  });

  it('keeps a pod: GPU requests summed over containers, priority, a few labels', () => {
    const pod = summarizePod({
      metadata: {
        namespace: 'warm-pool',
        name: 'gpu-placeholder-1',
        creationTimestamp: '2026-11-24T08:00:00Z',
        labels: {
          app: 'gpu-placeholder',
          'pod-template-hash': 'abc',
          'rollouts-pod-template-hash': 'h1',
        },
      },
      spec: {
        nodeName: 'a10g-1',
        priority: -1,
        serviceAccountName: 'placeholder',
        containers: [
          {
            image: 'registry.k8s.io/pause:3.9',
            resources: { limits: { 'nvidia.com/gpu': '2', cpu: '1' } },
          },
          {
            image: 'sidecar',
            resources: { requests: { 'nvidia.com/mig-1g.5gb': '1' } },
          },
        ],
      },
      status: { phase: 'Running' },
    });
    expect(pod).toEqual({
      namespace: 'warm-pool',
      name: 'gpu-placeholder-1',
      nodeName: 'a10g-1',
      phase: 'Running',
      priority: -1,
      gpuRequests: { 'nvidia.com/gpu': 2, 'nvidia.com/mig-1g.5gb': 1 },
      labels: { app: 'gpu-placeholder', 'rollouts-pod-template-hash': 'h1' },
      images: ['registry.k8s.io/pause:3.9', 'sidecar'],
      serviceAccountName: 'placeholder',
      createdAt: '2026-11-24T08:00:00Z',
    });
  });

  it('keeps the scale-up CronJob with its target node count', () => {
    expect(
      summarizeCronJob({
        metadata: {
          namespace: 'warm-pool',
          name: 'scale-up-0800',
          annotations: { 'omnivision.ai/target-gpu-nodes': '100' },
        },
        spec: { schedule: '0 8 * * *', timeZone: 'Europe/Brussels' },
      }),
    ).toEqual({
      namespace: 'warm-pool',
      name: 'scale-up-0800',
      schedule: '0 8 * * *',
      timeZone: 'Europe/Brussels',
      targetGpuNodes: 100,
      suspended: false,
    });
  });

  it('keeps a namespace override of mTLS and whether it selects workloads', () => {
    expect(
      summarizePeerAuthentication({
        metadata: { namespace: 'omnivision', name: 'legacy' },
        spec: { mtls: { mode: 'PERMISSIVE' } },
      }),
    ).toEqual({
      namespace: 'omnivision',
      name: 'legacy',
      mode: 'PERMISSIVE',
      hasSelector: false,
    });
  });

  it('reads a Kyverno policy: action, required labels, image verification', () => {
    expect(
      summarizeClusterPolicy({
        metadata: { name: 'require-hipaa' },
        spec: {
          rules: [
            {
              validate: {
                failureAction: 'Audit',
                pattern: {
                  metadata: { labels: { 'hipaa-compliant': 'true' } },
                },
              },
            },
          ],
        },
      }),
    ).toEqual({
      name: 'require-hipaa',
      action: 'Audit',
      requiredLabels: ['hipaa-compliant=true'],
      verifiesImages: false,
    });
    expect(
      summarizeClusterPolicy({
        metadata: { name: 'verify' },
        spec: {
          validationFailureAction: 'Enforce',
          rules: [{ verifyImages: [{ imageReferences: ['*'] }] }],
        },
      }),
    ).toMatchObject({ action: 'Enforce', verifiesImages: true });
  });

  it('keeps only the failures of a PolicyReport', () => {
    expect(
      summarizePolicyReport({
        metadata: { namespace: 'omnivision', name: 'polr-ns-omnivision' },
        results: [
          { policy: 'require-hipaa', result: 'pass', resources: [] },
          {
            policy: 'require-hipaa',
            rule: 'check',
            result: 'fail',
            message: 'label missing',
            resources: [{ kind: 'Pod', name: 'worker-1' }],
          },
        ],
      }),
    ).toEqual({
      namespace: 'omnivision',
      name: 'polr-ns-omnivision',
      failures: [
        {
          policy: 'require-hipaa',
          rule: 'check',
          resource: 'Pod/worker-1',
          message: 'label missing',
        },
      ],
    });
  });

  it('keeps the Critical and High findings of a VulnerabilityReport and its image', () => {
    expect(
      summarizeVulnerabilityReport({
        metadata: { namespace: 'omnivision', name: 'replicaset-worker' },
        report: {
          registry: { server: 'registry.example' },
          artifact: { repository: 'omnivision-worker', digest: 'sha256:abc' },
          summary: { criticalCount: 1, highCount: 0 },
          vulnerabilities: [
            {
              vulnerabilityID: 'CVE-2026-0001',
              severity: 'CRITICAL',
              resource: 'openssl',
            },
            {
              vulnerabilityID: 'CVE-2026-0002',
              severity: 'LOW',
              resource: 'x',
            },
          ],
        },
      }),
    ).toEqual({
      namespace: 'omnivision',
      name: 'replicaset-worker',
      image: 'registry.example/omnivision-worker@sha256:abc',
      critical: 1,
      high: 0,
      findings: [
        { id: 'CVE-2026-0001', severity: 'CRITICAL', resource: 'openssl' },
      ],
    });
  });

  it('names the data keys of a secret read as metadata only, from every writer of managedFields', () => {
    const summary = summarizeSecret({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        namespace: 'omnivision',
        name: 'aws',
        annotations: { 'kubernetes.io/service-account.name': 'worker' },
        managedFields: [
          {
            manager: 'kubectl-create',
            operation: 'Update',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:data': { '.': {}, 'f:AWS_ACCESS_KEY_ID': {} },
              'f:type': {},
            },
          },
          {
            manager: 'terraform',
            operation: 'Apply',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:stringData': { 'f:AWS_SECRET_ACCESS_KEY': {} },
              'f:metadata': { 'f:labels': { 'f:app': {} } },
            },
          },
        ],
      },
    });
    expect(summary).toEqual({
      namespace: 'omnivision',
      name: 'aws',
      dataKeys: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'],
    });
  });

  it('never reads a value, not even one left in the last-applied annotation', () => {
    const summary = summarizeSecret({
      metadata: {
        namespace: 'omnivision',
        name: 'applied',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            data: { GOOGLE_APPLICATION_CREDENTIALS: 'c2VjcmV0' },
          }),
        },
      },
      data: { AWS_SECRET_ACCESS_KEY: 'c2VjcmV0' },
    });
    expect(summary).toEqual({
      namespace: 'omnivision',
      name: 'applied',
      dataKeys: [],
    });
    expect(JSON.stringify(summary)).not.toContain('c2VjcmV0');
  });

  it('reads a Rollout: model, phase, canary step and weight', () => {
    expect(
      summarizeRollout({
        metadata: {
          namespace: 'omnivision-models',
          name: 'vidgen-xl',
          labels: { 'omnivision.ai/model': 'vidgen-xl' },
        },
        spec: {
          replicas: 4,
          strategy: {
            canary: {
              steps: [
                { setWeight: 5 },
                { pause: {} },
                { setWeight: 50 },
                { pause: {} },
              ],
            },
          },
        },
        status: {
          phase: 'Paused',
          currentStepIndex: 1,
          readyReplicas: 4,
          canary: { weights: { canary: { weight: 5 } } },
        },
      }),
    ).toEqual({
      namespace: 'omnivision-models',
      name: 'vidgen-xl',
      model: 'vidgen-xl',
      phase: 'Paused',
      message: undefined,
      currentStepIndex: 1,
      stepCount: 4,
      canaryWeight: 5,
      replicas: 4,
      readyReplicas: 4,
      images: [],
    });
  });

  it('reads an aborted Rollout: its revisions, images, abort and why, its analysis templates', () => {
    const summary = summarizeRollout({
      metadata: {
        namespace: 'omnivision-models',
        name: 'vidgen-xl',
        labels: { 'omnivision.ai/model': 'vidgen-xl' },
      },
      spec: {
        replicas: 2,
        template: {
          spec: { containers: [{ name: 'worker', image: 'vidgen-xl@sha:2' }] },
        },
        strategy: {
          canary: {
            analysis: {
              templates: [{ templateName: 'vidgen-xl-gpu-health-check' }],
            },
            steps: [{ setWeight: 50 }, { pause: { duration: '10m' } }],
          },
        },
      },
      status: {
        abort: true,
        abortedAt: '2026-12-04T10:00:30Z',
        phase: 'Degraded',
        currentPodHash: 'h2',
        stableRS: 'h1',
        currentStepIndex: 1,
        canary: {
          currentBackgroundAnalysisRunStatus: {
            name: 'vidgen-xl-h2-2',
            status: 'Failed',
            message: 'Metric "gpu-health-check" assessed Failed',
          },
        },
        conditions: [
          { type: 'Available', status: 'True', message: 'ready' },
          {
            type: 'Progressing',
            status: 'False',
            reason: 'RolloutAborted',
            message: 'Rollout aborted update to revision 2',
          },
        ],
      },
    });
    expect(summary).toMatchObject({
      images: ['vidgen-xl@sha:2'],
      currentPodHash: 'h2',
      stableRS: 'h1',
      abort: true,
      abortedAt: '2026-12-04T10:00:30Z',
      progressingMessage: 'Rollout aborted update to revision 2',
      analysisTemplates: ['vidgen-xl-gpu-health-check'],
      analysisRun: {
        name: 'vidgen-xl-h2-2',
        status: 'Failed',
        message: 'Metric "gpu-health-check" assessed Failed',
      },
    });
  });

  it('reads an AnalysisRun: its Rollout and revision, and the failed measurement with the query as run', () => {
    expect(
      summarizeAnalysisRun({
        metadata: {
          namespace: 'omnivision-models',
          name: 'vidgen-xl-h2-2',
          creationTimestamp: '2026-12-04T10:00:00Z',
          labels: {
            'rollout-type': 'Background',
            'rollouts-pod-template-hash': 'h2',
          },
          annotations: { 'rollout.argoproj.io/revision': '2' },
          ownerReferences: [
            { kind: 'Rollout', name: 'vidgen-xl', controller: true },
          ],
        },
        spec: {
          args: [
            { name: 'namespace', value: 'omnivision-models' },
            { name: 'rollout', value: 'vidgen-xl' },
            { name: 'canary-hash', value: 'h2' },
          ],
          metrics: [
            {
              name: 'gpu-health-check',
              successCondition: 'result[0] <= 0',
              provider: {
                prometheus: {
                  query:
                    'sum(DCGM_FI_DEV_XID_ERRORS{namespace="{{args.namespace}}", pod=~"{{ args.rollout }}-{{args.canary-hash}}-.*"})',
                },
              },
            },
          ],
        },
        status: {
          phase: 'Failed',
          message: 'Metric "gpu-health-check" assessed Failed',
          metricResults: [
            {
              name: 'gpu-health-check',
              phase: 'Failed',
              measurements: [
                { phase: 'Failed', value: '[50]', finishedAt: 't1' },
                { phase: 'Successful', value: '[0]', finishedAt: 't2' },
                { phase: 'Failed', value: '[48]', finishedAt: 't3' },
                { phase: 'Successful', value: '[0]', finishedAt: 't4' },
              ],
            },
          ],
        },
      }),
    ).toEqual({
      namespace: 'omnivision-models',
      name: 'vidgen-xl-h2-2',
      rollout: 'vidgen-xl',
      podHash: 'h2',
      revision: '2',
      phase: 'Failed',
      message: 'Metric "gpu-health-check" assessed Failed',
      createdAt: '2026-12-04T10:00:00Z',
      metrics: [
        {
          name: 'gpu-health-check',
          phase: 'Failed',
          query:
            'sum(DCGM_FI_DEV_XID_ERRORS{namespace="omnivision-models", pod=~"vidgen-xl-h2-.*"})',
          successCondition: 'result[0] <= 0',
          value: '[48]',
          measuredAt: 't3',
        },
      ],
    });
  });

  it("reads an Application's images (Argo CD's status.summary.images)", () => {
    expect(
      summarizeApplication({
        metadata: {
          name: 'model-vidgen-xl-aws',
          labels: { 'omnivision.ai/model': 'vidgen-xl' },
        },
        status: {
          sync: { status: 'Synced', revision: 'abc' },
          health: { status: 'Healthy' },
          summary: { images: ['vidgen-xl@sha:1'] },
        },
      }),
    ).toMatchObject({ model: 'vidgen-xl', images: ['vidgen-xl@sha:1'] });
  });
});
