import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the fleet's status: clusters, GPUs, warm pool, compliance, model deployments and their
 * history. Every signed-in person holds it under the portal's policy.
 *
 * @public
 */
export const omnivisionFleetReadPermission = createPermission({
  name: 'omnivision.fleet.read',
  attributes: { action: 'read' },
});

/** Read deployment requests and where each stands. Every signed-in person. @public */
export const omnivisionRequestReadPermission = createPermission({
  name: 'omnivision.request.read',
  attributes: { action: 'read' },
});

/** Create a deployment request (the deploy template's pull request). `data-science`. @public */
export const omnivisionDeploymentCreatePermission = createPermission({
  name: 'omnivision.deployment.create',
  attributes: { action: 'create' },
});

/**
 * Approve a deployment request, or request changes to it, as oneself on GitHub. `platform-team`;
 * never on one's own request.
 *
 * @public
 */
export const omnivisionDeploymentReviewPermission = createPermission({
  name: 'omnivision.deployment.review',
  attributes: { action: 'update' },
});

/** Merge an approved deployment request as oneself on GitHub. `platform-team`. @public */
export const omnivisionDeploymentMergePermission = createPermission({
  name: 'omnivision.deployment.merge',
  attributes: { action: 'update' },
});

/** Read the HIPAA audit trail. `platform-team` and `security`. @public */
export const omnivisionAuditReadPermission = createPermission({
  name: 'omnivision.audit.read',
  attributes: { action: 'read' },
});

/**
 * Control a model's canary in a region (promote, abort, pause, resume its Argo Rollout).
 * `platform-team`.
 *
 * @public
 */
export const omnivisionRolloutControlPermission = createPermission({
  name: 'omnivision.rollout.control',
  attributes: { action: 'update' },
});

/** Every permission the OmniVision plugins define. @public */
export const omnivisionPermissions = [
  omnivisionFleetReadPermission,
  omnivisionRequestReadPermission,
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentReviewPermission,
  omnivisionDeploymentMergePermission,
  omnivisionAuditReadPermission,
  omnivisionRolloutControlPermission,
];
