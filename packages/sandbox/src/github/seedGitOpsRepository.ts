import { stringify } from 'yaml';
import type { GitRepository } from './GitRepository';

const SEED_AUTHOR = {
  name: 'OmniVision Platform',
  email: 'platform@omnivision.ai',
  date: '2026-11-01T08:00:00Z',
};

function argoApp(cloud: 'aws' | 'gcp', cluster: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `omnivision-${cloud}`, namespace: 'argocd' },
    spec: {
      project: 'omnivision',
      source: {
        repoURL: 'https://github.com/omnivision-ai/omnivision-gitops.git',
        targetRevision: 'main',
        path: 'charts/omnivision-platform',
        helm: {
          valueFiles: [
            `../../infrastructure/cluster-${cloud}/values-overrides.yaml`,
          ],
        },
      },
      destination: { name: cluster, namespace: 'omnivision' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}

/** The omnivision-gitops layout of seed 001: a folder per cluster, the apps, the code owners. */
export function gitOpsSeedFiles(): Record<string, string> {
  return {
    'README.md':
      '# omnivision-gitops\n\nFolder-per-environment GitOps repository synced by Argo CD.\nModel deployments live in `infrastructure/cluster-<cloud>/models/<model>.yaml`.\n',
    CODEOWNERS:
      '# Every change to what runs on the clusters is reviewed by the platform team.\n* @omnivision-ai/platform-team\n',
    'infrastructure/cluster-aws/argo-app.yaml': stringify(
      argoApp('aws', 'eks-us-west-2'),
    ),
    'infrastructure/cluster-aws/values-overrides.yaml': stringify({
      global: {
        cloudProvider: 'aws',
        region: 'us-west-2',
        imageRegistry: '123456789012.dkr.ecr.us-west-2.amazonaws.com',
      },
      aiWorker: {
        nodeAffinity: {
          key: 'eks.amazonaws.com/nodegroup',
          operator: 'In',
          values: ['gpu-a10g'],
        },
      },
      serviceAccount: {
        annotations: {
          'eks.amazonaws.com/role-arn':
            'arn:aws:iam::123456789012:role/eks-us-west-2-omnivision-worker',
        },
      },
    }),
    'infrastructure/cluster-gcp/argo-app.yaml': stringify(
      argoApp('gcp', 'gke-europe-west1'),
    ),
    'infrastructure/cluster-gcp/values-overrides.yaml': stringify({
      global: {
        cloudProvider: 'gcp',
        region: 'europe-west1',
        imageRegistry: 'europe-west1-docker.pkg.dev/omnivision-prod/omnivision',
      },
      aiWorker: {
        nodeAffinity: {
          key: 'cloud.google.com/gke-accelerator',
          operator: 'In',
          values: ['nvidia-l4'],
        },
      },
      serviceAccount: {
        annotations: {
          'iam.gke.io/gcp-service-account':
            'omnivision-worker@omnivision-prod.iam.gserviceaccount.com',
        },
      },
    }),
    'apps/omnivision-ui/values.yaml': stringify({
      ui: { replicas: 3, image: 'omnivision-ui', tag: '2.3.0' },
    }),
    'apps/omnivision-worker/values.yaml': stringify({
      aiWorker: {
        image: 'omnivision-worker',
        tag: '1.8.2',
        resources: { limits: { 'nvidia.com/gpu': 1 } },
      },
    }),
  };
}

/** Gives a new repository its first commit on main; an existing one is left as it is. */
export async function seedGitOpsRepository(
  repository: GitRepository,
): Promise<void> {
  if (await repository.resolveRef('refs/heads/main')) return;
  const tree = await repository.writeTree(
    Object.entries(gitOpsSeedFiles()).map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob',
      content,
    })),
  );
  const commit = await repository.writeCommit({
    message: 'Seed the omnivision-gitops repository',
    tree,
    parents: [],
    author: SEED_AUTHOR,
  });
  await repository.writeRef('refs/heads/main', commit);
}
