import type { z as zod } from 'zod/v3';
import { deploymentRequestFields } from './deploymentRequestSchema';

/** The kinds of request that change a model that already runs, by model and regions alone. @public */
export const MODEL_CHANGE_KINDS = ['rollback', 'retire'] as const;

/** Every kind of request, as the request store records them. @public */
export const DEPLOYMENT_REQUEST_KINDS = [
  'deploy',
  ...MODEL_CHANGE_KINDS,
] as const;

/**
 * What a recorded request does to a model: `deploy` (a first deployment or an update of its
 * values), `rollback` (each region back to the version last recorded healthy there) or `retire`
 * (its values files removed, so Argo CD prunes it). @public
 */
export type DeploymentRequestKind = (typeof DEPLOYMENT_REQUEST_KINDS)[number];

/** A kind of request that changes a model that already runs. @public */
export type ModelChangeKind = (typeof MODEL_CHANGE_KINDS)[number];

/**
 * The `rollback-model` and `retire-model` templates' parameters, as scripts send them, with the
 * kind of change. @public
 */
export interface ModelChangeRequest {
  kind: ModelChangeKind;
  /** Entity ref of the ai-model, e.g. `resource:default/vidgen-xl`. */
  model: string;
  regions: string[];
}

/**
 * A model change's fields, each built with the caller's zod: the kind, then the `rollback-model`
 * and `retire-model` templates' parameters (the deploy request's own definitions of them). The
 * scaffolder actions' `schema.input`. @public
 */
export const modelChangeRequestFields = {
  kind: (z: typeof zod) =>
    z.enum(MODEL_CHANGE_KINDS).describe(MODEL_CHANGE_KINDS.join(' or ')),
  model: deploymentRequestFields.model,
  regions: deploymentRequestFields.regions,
};

/** A model change request as one strict zod object (unknown keys refused). @public */
export function modelChangeRequestSchema(
  z: typeof zod,
): zod.ZodType<ModelChangeRequest, zod.ZodTypeDef, unknown> {
  return z
    .object({
      kind: modelChangeRequestFields.kind(z),
      model: modelChangeRequestFields.model(z),
      regions: modelChangeRequestFields.regions(z),
    })
    .strict();
}
