import { Octokit } from '@octokit/rest';
import { startTestSandbox } from '../../testing/startTestSandbox';

/** A sandbox of the test file's own, and Octokit clients of its GitHub. */
export interface SandboxGitHub {
  t: Awaited<ReturnType<typeof startTestSandbox>>;
  repo: { owner: string; repo: string };
  apiBaseUrl: string;
  /** A client acting as the first person of a role, or as a login (the portal's app too). */
  as(roleOrLogin: string): Octokit;
}

/** Starts a sandbox (stop it with `t.stop()`) and makes clients of its GitHub. */
export async function startSandboxGitHub(
  options: Parameters<typeof startTestSandbox>[0] = {},
): Promise<SandboxGitHub> {
  const t = await startTestSandbox(options);
  const { github } = await t.admin('GET', '/endpoints');
  const people: Array<{ login: string; role: string; token: string }> =
    github.users;
  const tokenOf = (roleOrLogin: string) =>
    roleOrLogin === github.app.login
      ? github.app.token
      : people.find(u => u.role === roleOrLogin || u.login === roleOrLogin)
          ?.token;
  return {
    t,
    repo: { owner: github.owner, repo: github.repo },
    apiBaseUrl: github.apiBaseUrl,
    as(roleOrLogin) {
      const token = tokenOf(roleOrLogin);
      if (!token) throw new Error(`no sandbox user ${roleOrLogin}`);
      return new Octokit({ baseUrl: github.apiBaseUrl, auth: token });
    },
  };
}
