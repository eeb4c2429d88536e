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

/** Every permission the OmniVision plugins define. @public */
export const omnivisionPermissions = [omnivisionFleetReadPermission];
