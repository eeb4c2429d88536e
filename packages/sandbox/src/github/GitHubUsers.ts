/** A person of the sandbox's GitHub, with a personal access token. */
export interface GitHubUser {
  id: number;
  login: string;
  name: string;
  email: string;
  /** People are data scientists or approvers; `app` is the portal's own identity. */
  role: 'data-scientist' | 'approver' | 'app';
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
  // Stands in for the portal's GitHub App: the token of the integration in app-config.yaml.
  {
    id: 2001,
    login: 'omnivision-portal',
    name: 'OmniVision Portal',
    email: 'portal@omnivision.ai',
    role: 'app',
    token: 'ghp_sandbox_portal',
  },
];

/** The people, who sign in and review (the portal's own identity is not one of them). */
export const SANDBOX_PEOPLE = SANDBOX_USERS.filter(
  (u): u is GitHubUser & { role: 'data-scientist' | 'approver' } =>
    u.role !== 'app',
);
