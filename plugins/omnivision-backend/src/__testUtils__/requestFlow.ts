import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DeploymentRequest,
  deploymentBranch,
  modelNameOf,
  renderValuesFiles,
} from '@internal/plugin-omnivision-common';
import {
  contextFixture,
  versionedContextFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { PORTAL_MARKER } from '@internal/plugin-omnivision-node';
import { asPortal, commitFiles, eventually } from '@internal/sandbox/testUtils';
import request from 'supertest';
import { DeploymentBackend, entities, repo } from './startDeploymentBackend';

/** A person's credentials on the API, as the app sends them. */
export const as = (user: string) => mockCredentials.user.header(user);

/** The scaffolder's token on behalf of a person, as the deploy template's actions send it. */
export const viaTemplate = (user: string) =>
  `Bearer ${mockCredentials.user.token(user, {
    actor: { subject: 'plugin:scaffolder' },
  })}`;

/** `user:default/<login>`. */
export const userRef = (login: string) => `user:default/${login}`;

/**
 * What the deploy template does for a person: has the backend admit the request, opens its pull
 * request as the portal (the request's branch, the rendered values, the portal's marker), and
 * records it. Returns the pull request's number; fails on any refusal.
 */
export async function openRequest(
  backend: DeploymentBackend,
  login: string,
  deployment: DeploymentRequest,
): Promise<number> {
  const api = request(backend.server);
  const admitted = await api
    .post('/api/omnivision/requests/checks')
    .set('authorization', viaTemplate(userRef(login)))
    .send({ request: deployment });
  if (admitted.status !== 200) {
    throw new Error(`not admitted: ${JSON.stringify(admitted.body)}`);
  }
  const name = modelNameOf(deployment.model);
  // The model's versions as the test catalog lists them, if it lists any.
  const listsVersions = entities.some(
    e => e.metadata.name === name && (e.spec as any).model?.versions,
  );
  const context = listsVersions ? versionedContextFixture() : contextFixture();
  const files = renderValuesFiles(deployment, {
    ...context,
    model: {
      ...context.model,
      name,
      imageRepository: `registry.omnivision.ai/models/${name}`,
    },
  });
  const portal = asPortal(backend.octokit('maya-chen'));
  const branch = deploymentBranch(deployment);
  await commitFiles(
    portal,
    repo,
    branch,
    Object.fromEntries(files.map(f => [f.path, f.content])),
  );
  const pull = await portal.pulls.create({
    ...repo,
    head: branch,
    base: 'main',
    title: `Deploy ${name}`,
    body: `Requested by ${userRef(
      login,
    )} through the OmniVision Portal.\n\n${PORTAL_MARKER}\n`,
  });
  const recorded = await api
    .post('/api/omnivision/requests')
    .set('authorization', viaTemplate(userRef(login)))
    .send({
      pullRequestNumber: pull.data.number,
      pullRequestUrl: pull.data.html_url,
      branch,
      request: deployment,
    });
  if (recorded.status !== 201) {
    throw new Error(`not recorded: ${JSON.stringify(recorded.body)}`);
  }
  return pull.data.number;
}

/**
 * What an approver does on GitHub itself, no portal involved: approves a request's pull request
 * and merges it once the approval gate's status lets GitHub do so.
 */
export async function approveAndMerge(
  backend: DeploymentBackend,
  pullRequestNumber: number,
  approver = 'lena-fischer',
): Promise<void> {
  const octokit = backend.octokit(approver);
  await octokit.pulls.createReview({
    ...repo,
    pull_number: pullRequestNumber,
    event: 'APPROVE',
  });
  await eventually(
    () =>
      octokit.pulls
        .merge({ ...repo, pull_number: pullRequestNumber })
        .then(r => r.data.merged),
    20_000,
  );
}
