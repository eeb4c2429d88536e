import type { z as zod } from 'zod/v3';
import type { DeploymentRequest } from './DeploymentRequest';

type Z = typeof zod;

/**
 * The deploy template's parameters, field by field, each built with the caller's zod: the one
 * definition of a deployment request's shape. The scaffolder actions take it as their
 * `schema.input`, the backend's router and the deploy form's review parse with
 * {@link deploymentRequestSchema}. What the fields may hold beyond their shape (known profiles
 * and regions, names, quotas) is the policy's to judge, with a message per rule.
 *
 * @public
 */
export const deploymentRequestFields = {
  model: (z: Z) =>
    z
      .string()
      .min(1)
      .max(253)
      .describe('Entity ref of the ai-model, e.g. resource:default/vidgen-xl'),
  version: (z: Z) =>
    z
      .string()
      .max(64)
      .optional()
      .describe(
        "One of the model's signed versions (spec.model.versions); absent or empty: the newest signed version",
      ),
  gpuProfile: (z: Z) =>
    z
      .string()
      .min(1)
      .max(63)
      .describe('GPU profile id (omnivision.gpuProfiles)'),
  regions: (z: Z) =>
    z
      .array(z.string().min(1).max(63))
      .min(1)
      .max(16)
      .describe('Region ids to deploy to (omnivision.regions)'),
  minReplicas: (z: Z) => z.number().int().describe('Replicas at the least'),
  maxReplicas: (z: Z) =>
    z.number().int().describe('Replicas at the most (autoscaling)'),
  rollout: (z: Z) =>
    z
      .enum(['canary', 'direct'])
      .default('canary')
      .describe('canary (5% → 10 min → 50% → 30 min) or direct'),
};

/** A deployment request as one strict zod object (unknown keys refused). @public */
export function deploymentRequestSchema(
  z: Z,
): zod.ZodType<DeploymentRequest, zod.ZodTypeDef, unknown> {
  return z
    .object({
      model: deploymentRequestFields.model(z),
      version: deploymentRequestFields.version(z),
      gpuProfile: deploymentRequestFields.gpuProfile(z),
      regions: deploymentRequestFields.regions(z),
      minReplicas: deploymentRequestFields.minReplicas(z),
      maxReplicas: deploymentRequestFields.maxReplicas(z),
      rollout: deploymentRequestFields.rollout(z),
    })
    .strict();
}
