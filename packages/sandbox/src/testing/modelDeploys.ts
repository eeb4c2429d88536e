import type { Octokit } from '@octokit/rest';
import { stringify } from 'yaml';
import { modelValuesPath } from '@internal/plugin-omnivision-common';
import { mergeFiles } from './gitOpsChanges';

/** What `GET /sandbox/endpoints` says of GitHub that `mergeModelValues` uses. */
export interface SandboxGitHubEndpoints {
  github: {
    apiBaseUrl: string;
    owner: string;
    repo: string;
    users: Array<{ role: string; token: string }>;
  };
}

/** A model for the platform chart: its name, cloud, image, replicas (of one GPU) and canary steps. */
export interface ModelValues {
  model: string;
  cloud: 'aws' | 'gcp';
  image: string;
  replicas: number;
  steps: unknown[];
}

/** A model's values file for the platform chart. */
export function modelValues(options: ModelValues): string {
  return stringify({
    model: { name: options.model },
    global: { cloudProvider: options.cloud },
    aiWorker: {
      image: options.image,
      replicas: options.replicas,
      resources: { limits: { 'nvidia.com/gpu': 1 } },
    },
    rollout: { canary: { steps: options.steps } },
  });
}

/** How many values files this module has merged: each goes through a branch of its own. */
let merges = 0;

/**
 * Merges a model's values file (`modelValues`) into `infrastructure/cluster-<cloud>/models/` of
 * the sandbox's GitOps repository on `branch` (by default a new `<model>-values-<n>` each time),
 * by its data scientist and approved by its approver (`mergeFiles`), with Octokit as the
 * caller's package has it.
 */
export async function mergeModelValues(
  options: ModelValues & {
    endpoints: SandboxGitHubEndpoints;
    octokit: (auth: { baseUrl: string; auth: string }) => Octokit;
    branch?: string;
  },
) {
  const { github } = options.endpoints;
  const as = (role: string) =>
    options.octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find(u => u.role === role)!.token,
    });
  return mergeFiles({
    author: as('data-scientist'),
    approver: as('approver'),
    repo: { owner: github.owner, repo: github.repo },
    branch: options.branch ?? `${options.model}-values-${(merges += 1)}`,
    files: {
      [modelValuesPath(
        `infrastructure/cluster-${options.cloud}`,
        options.model,
      )]: modelValues(options),
    },
  });
}
