import fs from 'node:fs';
import type { SandboxEndpoints } from '../admin/AdminRouter';

/**
 * The `integrations.github` entry a portal under test uses for the sandbox's GitHub, as
 * app-config.sandbox.yaml has it: the portal's GitHub App (`apps:`), with the private key the
 * sandbox generated in its data folder, so that the portal's own calls use installation tokens.
 */
export function portalGitHubIntegration(
  github: Pick<SandboxEndpoints['github'], 'apiBaseUrl' | 'app'>,
) {
  return {
    host: new URL(github.apiBaseUrl).host,
    apiBaseUrl: github.apiBaseUrl,
    apps: [
      {
        appId: github.app.appId,
        clientId: github.app.clientId,
        clientSecret: github.app.clientSecret,
        privateKey: fs.readFileSync(github.app.privateKeyFile, 'utf8'),
      },
    ],
  };
}
