import type { SandboxEndpoints } from '../admin/AdminRouter';

/**
 * The environment variables with which a backend reads a started sandbox's clusters through
 * cloud identity, as the portal's pods would on EKS (IRSA: `AWS_ROLE_ARN`,
 * `AWS_WEB_IDENTITY_TOKEN_FILE`, with `AWS_ENDPOINT_URL_STS` at the sandbox's STS) and GKE (the
 * metadata server: `GCE_METADATA_HOST`, `METADATA_SERVER_DETECTION`). Variables set to `''`
 * must be cleared (so that a developer's own AWS or Google credentials cannot take over).
 * The same record is `cloudIdentity.environment` in `GET /sandbox/endpoints`.
 *
 * @param sandbox - a started sandbox, or what its `/sandbox/endpoints` answered
 */
export function cloudIdentityEnvironment(
  sandbox: { endpoints(): SandboxEndpoints } | SandboxEndpoints,
): Record<string, string> {
  const endpoints =
    'endpoints' in sandbox && typeof sandbox.endpoints === 'function'
      ? sandbox.endpoints()
      : (sandbox as SandboxEndpoints);
  return { ...endpoints.cloudIdentity.environment };
}
