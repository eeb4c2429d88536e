import type {
  DeploymentRequest,
  DeploymentRequestSummary,
} from '@internal/plugin-omnivision-common';

/**
 * The scaffolder's page of one of the portal's templates (namespace `default`), its form prefilled
 * with `formData`: the scaffolder reads a `formData` query parameter (JSON) as the form's initial
 * state.
 */
export function templateUrl(
  template: 'deploy-model' | 'rollback-model' | 'retire-model',
  formData: Record<string, unknown>,
): string {
  return `/create/templates/default/${template}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

/**
 * What an update's form starts from: the GPU profile, replicas and rollout of the newest request
 * the model ran healthy with (a deployment or a rollback); nothing when none did.
 */
export function runningParameters(
  requests: DeploymentRequestSummary[] | undefined,
): Partial<DeploymentRequest> {
  const [newest] = (requests ?? [])
    .filter(r => r.kind !== 'retire' && r.progress.state === 'healthy')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!newest) return {};
  const { gpuProfile, minReplicas, maxReplicas, rollout } = newest;
  return { gpuProfile, minReplicas, maxReplicas, rollout };
}
