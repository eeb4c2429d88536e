/**
 * How a person's Backstage identity and GitHub login map onto each other: catalog users are named
 * by their GitHub login (catalog/org.yaml), as the GitHub sign-in resolver
 * `usernameMatchingUserEntityName` maps them. Written once: the gate, the audit trail and the
 * request pages use it.
 */

/** The GitHub login of a user entity ref (`user:default/maya-chen` → `maya-chen`). @public */
export function githubLoginOf(userEntityRef: string): string {
  const name = userEntityRef.slice(userEntityRef.lastIndexOf('/') + 1);
  return name.slice(name.indexOf(':') + 1);
}

/** The user entity ref of a GitHub login (`Maya-Chen` → `user:default/maya-chen`). @public */
export function userEntityRefOfLogin(login: string): string {
  return `user:default/${login.toLocaleLowerCase('en-US')}`;
}

/** Whether a GitHub login is the person's own (GitHub logins are case-insensitive). @public */
export function isLoginOf(userEntityRef: string, login: string): boolean {
  return (
    githubLoginOf(userEntityRef).toLocaleLowerCase('en-US') ===
    login.toLocaleLowerCase('en-US')
  );
}
