import { PORTAL_APP } from './GitHubApp';

/** A person of the sandbox's GitHub, with a personal access token (or the app's bot). */
export interface GitHubUser {
  id: number;
  login: string;
  name: string;
  email: string;
  /**
   * People are data scientists, approvers, or `both` (in both teams); `app` is the portal's own
   * identity, its GitHub App's bot (type `Bot`).
   */
  role: 'data-scientist' | 'approver' | 'both' | 'app';
  token: string;
}

/**
 * The sandbox's people: logins match the catalog's User entities (catalog/org.yaml), so GitHub
 * sign-in resolves each to their entity. Tokens are development-only credentials of a loopback
 * service and never reach a real GitHub.
 */
export const SANDBOX_USERS: GitHubUser[] = [
  {
    id: 1001,
    login: 'maya-chen',
    name: 'Maya Chen',
    email: 'maya.chen@omnivision.ai',
    role: 'data-scientist',
    token: 'ghp_sandbox_maya_chen',
  },
  {
    id: 1002,
    login: 'omar-haddad',
    name: 'Omar Haddad',
    email: 'omar.haddad@omnivision.ai',
    role: 'data-scientist',
    token: 'ghp_sandbox_omar_haddad',
  },
  {
    id: 1003,
    login: 'lena-fischer',
    name: 'Lena Fischer',
    email: 'lena.fischer@omnivision.ai',
    role: 'approver',
    token: 'ghp_sandbox_lena_fischer',
  },
  {
    id: 1004,
    login: 'raj-patel',
    name: 'Raj Patel',
    email: 'raj.patel@omnivision.ai',
    role: 'approver',
    token: 'ghp_sandbox_raj_patel',
  },
  // In both teams: requests deployments and is a code owner (not of their own pull requests).
  {
    id: 1005,
    login: 'sam-okafor',
    name: 'Sam Okafor',
    email: 'sam.okafor@omnivision.ai',
    role: 'both',
    token: 'ghp_sandbox_sam_okafor',
  },
  // The portal's GitHub App's bot, which its installation tokens act as. Its static token is for
  // test tools (posting the app's status in a test's setup); the portal itself authenticates as
  // the app (a JWT, then installation tokens) and never uses it.
  {
    id: 2001,
    login: PORTAL_APP.login,
    name: PORTAL_APP.name,
    email: 'portal@omnivision.ai',
    role: 'app',
    token: 'ghp_sandbox_portal',
  },
];

/** The role of a person (not the portal's own identity). */
export type PersonRole = Exclude<GitHubUser['role'], 'app'>;

/** The people, who sign in and review (the portal's own identity is not one of them). */
export const SANDBOX_PEOPLE = SANDBOX_USERS.filter(
  (u): u is GitHubUser & { role: PersonRole } => u.role !== 'app',
);

/** The code owners' team (CODEOWNERS names `@omnivision-ai/platform-team`). */
export const CODE_OWNER_TEAM = 'platform-team';

/** The organization's teams each role belongs to (the catalog's groups of the same names). */
const TEAMS_OF_ROLE: Record<GitHubUser['role'], string[]> = {
  'data-scientist': ['data-science'],
  approver: [CODE_OWNER_TEAM],
  both: [CODE_OWNER_TEAM, 'data-science'],
  app: [],
};

/**
 * The organization's teams as slug → member logins, the code owners' team first (team ids
 * follow this order): approvers and `both` people are code owners, data scientists and `both`
 * people are in data-science.
 */
export function teamsOf(users: GitHubUser[]): Record<string, string[]> {
  const teams: Record<string, string[]> = {
    [CODE_OWNER_TEAM]: [],
    'data-science': [],
  };
  for (const user of users)
    for (const slug of TEAMS_OF_ROLE[user.role]) teams[slug].push(user.login);
  return teams;
}
