import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCreatePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  omnivisionAuditReadPermission,
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentMergePermission,
  omnivisionDeploymentReviewPermission,
  omnivisionRolloutControlPermission,
} from '@internal/plugin-omnivision-common';

/** The teams the policy knows, by group entity ref. @public */
export interface OmniVisionTeams {
  /** Create deployment requests (run the deploy template and its actions). */
  dataScience: string;
  /** Approve and merge deployment requests; control canaries; administer the portal. */
  platform: string;
  /** Read the audit trail. */
  security: string;
}

/** The groups of catalog/org.yaml. @public */
export const DEFAULT_TEAMS: OmniVisionTeams = {
  dataScience: 'group:default/data-science',
  platform: 'group:default/platform-team',
  security: 'group:default/security',
};

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/** Creating a deployment request: the permission of ours and the scaffolder's that run it. */
const CREATE = new Set([
  omnivisionDeploymentCreatePermission.name,
  taskCreatePermission.name,
  actionExecutePermission.name,
]);

/**
 * The portal's permission policy, by the person's groups (their ownership refs):
 *
 * - `data-science` creates deployment requests: `omnivision.deployment.create`, and the
 *   scaffolder's `scaffolder.task.create` and `scaffolder.action.execute` that run the template;
 * - `platform-team` approves and merges (`omnivision.deployment.review`, `.merge`; that nobody
 *   approves their own request is checked where the request is known), controls canaries
 *   (`omnivision.rollout.control`: promote, abort, pause, resume) and holds every other
 *   change: catalog writes, template management, the Kubernetes proxy;
 * - `platform-team` and `security` read the audit trail (`omnivision.audit.read`);
 * - everyone signed in reads everything else (fleet, catalog, requests, tasks, Kubernetes).
 *
 * Calls without a person are refused; calls without credentials never get here (401).
 *
 * @public
 */
export class OmniVisionPermissionPolicy implements PermissionPolicy {
  static create(options: {
    userInfo: UserInfoService;
    teams?: OmniVisionTeams;
  }): OmniVisionPermissionPolicy {
    return new OmniVisionPermissionPolicy(
      options.userInfo,
      options.teams ?? DEFAULT_TEAMS,
    );
  }

  private constructor(
    private readonly userInfo: UserInfoService,
    private readonly teams: OmniVisionTeams,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return deny;
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const groups = new Set(
      ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US')),
    );
    const member = (team: string) =>
      groups.has(team.toLocaleLowerCase('en-US'));
    const { permission } = request;

    if (CREATE.has(permission.name)) {
      return member(this.teams.dataScience) ? allow : deny;
    }
    if (permission.name === omnivisionAuditReadPermission.name) {
      return member(this.teams.platform) || member(this.teams.security)
        ? allow
        : deny;
    }
    if (
      permission.name === omnivisionDeploymentReviewPermission.name ||
      permission.name === omnivisionDeploymentMergePermission.name ||
      permission.name === omnivisionRolloutControlPermission.name
    ) {
      return member(this.teams.platform) ? allow : deny;
    }
    if (permission.attributes.action === 'read') return allow;
    return member(this.teams.platform) ? allow : deny;
  }
}
