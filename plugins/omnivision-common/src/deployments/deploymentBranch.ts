import type { DeploymentRequest } from './DeploymentRequest';
import { modelNameOf } from './deploymentPolicy';
import { isDnsLabel } from './kubernetesNames';
import { requestedVersionOf } from './modelVersions';
import type {
  DeploymentRequestKind,
  ModelChangeRequest,
} from './modelChangeRequest';

/** What every deployment branch the portal writes starts with. @public */
export const DEPLOYMENT_BRANCH_PREFIX = 'omnivision/deploy-';

/** The prefix of each kind of request's branch: `omnivision/<kind>-`. @public */
export const REQUEST_BRANCH_PREFIXES: Record<DeploymentRequestKind, string> = {
  deploy: DEPLOYMENT_BRANCH_PREFIX,
  rollback: 'omnivision/rollback-',
  retire: 'omnivision/retire-',
};

/** 32-bit FNV-1a: a small, stable digest that runs in the browser and in Node alike. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The branch of a request: `omnivision/deploy-<model>-<digest of the request>`. The same request
 * always gets the same branch (so running it again updates its pull request); any other request
 * gets another one. The model name must be a validated DNS-1123 label.
 *
 * @public
 */
export function deploymentBranch(request: DeploymentRequest): string {
  const version = requestedVersionOf(request);
  const canonical = JSON.stringify([
    request.model,
    request.gpuProfile,
    [...request.regions].sort(),
    request.minReplicas,
    request.maxReplicas,
    request.rollout,
    // Only a named version is part of the digest: a request without one keeps its branch.
    ...(version === undefined ? [] : [version]),
  ]);
  return `${DEPLOYMENT_BRANCH_PREFIX}${modelNameOf(request.model)}-${fnv1a(
    canonical,
  )}`;
}

/**
 * The branch of a rollback or a retirement: `omnivision/<kind>-<model>-<digest>`, the digest of
 * the model, its regions and what the change resolved to (`resolved`: for a rollback, the request
 * and version each region goes back to), so that the same change always gets the same branch
 * and a rollback to other versions another one. The model name must be a validated DNS-1123 label.
 *
 * @public
 */
export function modelChangeBranch(
  change: ModelChangeRequest,
  resolved: string[] = [],
): string {
  const canonical = JSON.stringify([
    change.kind,
    change.model,
    [...change.regions].sort(),
    ...resolved,
  ]);
  return `${REQUEST_BRANCH_PREFIXES[change.kind]}${modelNameOf(
    change.model,
  )}-${fnv1a(canonical)}`;
}

/**
 * Whether a branch has the shape of {@link deploymentBranch}'s: `omnivision/deploy-<model>-<8 hex
 * digits>` with a DNS-1123 model name.
 *
 * @public
 */
export function isDeploymentBranch(branch: string): boolean {
  return hasBranchShape(branch, DEPLOYMENT_BRANCH_PREFIX);
}

/**
 * Whether a branch is one the portal writes: a deployment's ({@link deploymentBranch}), a
 * rollback's or a retirement's ({@link modelChangeBranch}), `omnivision/<kind>-<model>-<8 hex
 * digits>` with a DNS-1123 model name. The portal writes no other branch.
 *
 * @public
 */
export function isPortalBranch(branch: string): boolean {
  return Object.values(REQUEST_BRANCH_PREFIXES).some(prefix =>
    hasBranchShape(branch, prefix),
  );
}

function hasBranchShape(branch: string, prefix: string): boolean {
  if (!branch.startsWith(prefix)) return false;
  const match = /^(.+)-[0-9a-f]{8}$/.exec(branch.slice(prefix.length));
  return !!match && isDnsLabel(match[1]);
}
