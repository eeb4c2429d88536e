import { mockCredentials } from '@backstage/backend-test-utils';
import type { DeploymentPreview } from '@internal/plugin-omnivision-common';
import {
  commitFiles,
  mergeFiles,
  repositoryState,
} from '@internal/sandbox/testUtils';
import type { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import request from 'supertest';
import { VERSIONS } from '@internal/plugin-omnivision-common/testUtils';
import {
  repo,
  startDeploymentBackend,
} from './__testUtils__/startDeploymentBackend';
import { viaTemplate } from './__testUtils__/requestFlow';

jest.setTimeout(60_000);

const body = {
  model: 'resource:default/vidgen-xl',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2', 'europe-west1'],
  minReplicas: 2,
  maxReplicas: 4,
  rollout: 'canary',
};

describe('the deploy form preview against the sandbox', () => {
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  let scientist: Octokit;
  let approver: Octokit;

  beforeAll(async () => {
    const started = await startDeploymentBackend();
    server = started.server;
    stop = started.stop;
    scientist = started.octokit('maya-chen');
    approver = started.octokit('lena-fischer');
  });

  afterAll(() => stop?.());

  it("shows each region's file as a new file, with the cost, and writes nothing", async () => {
    const before = await repositoryState(scientist, repo);
    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send(body);
    expect(res.status).toBe(200);
    const preview: DeploymentPreview = res.body;
    expect(preview.violations).toEqual([]);
    expect(preview.baseBranch).toBe('main');
    expect(preview.branch).toMatch(
      /^omnivision\/deploy-vidgen-xl-[0-9a-f]{8}$/,
    );
    expect(preview.gpus).toBe(8);
    // 2 to 4 replicas of $4.10 + $3.93 an hour.
    expect(preview.cost).toMatchObject({
      hourlyMinUsd: 16.06,
      hourlyMaxUsd: 32.12,
      monthlyMaxUsd: 23447.6,
    });
    expect(preview.files.map(f => [f.path, f.status])).toEqual([
      ['infrastructure/cluster-aws/models/vidgen-xl.yaml', 'added'],
      ['infrastructure/cluster-gcp/models/vidgen-xl.yaml', 'added'],
    ]);
    const aws = preview.files[0].diff;
    expect(aws).toContain('--- /dev/null');
    expect(aws).toContain(
      '+++ b/infrastructure/cluster-aws/models/vidgen-xl.yaml',
    );
    expect(aws).toMatch(/^\+\s+cloudProvider: aws$/m);
    expect(preview.files[1].diff).toMatch(/^\+\s+cloudProvider: gcp$/m);
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it('diffs against what main holds once an earlier deployment of the model merged', async () => {
    const first = (
      await request(server)
        .post('/api/omnivision/deployments/preview')
        .send(body)
    ).body as DeploymentPreview;
    // Merge the AWS file as rendered, and an older GCP file with 1 to 2 replicas.
    const gcpPath = 'infrastructure/cluster-gcp/models/vidgen-xl.yaml';
    const gcpNow = first.files[1].diff
      .split('\n')
      .filter(l => l.startsWith('+') && !l.startsWith('+++'))
      .map(l => l.slice(1))
      .join('\n');
    const gcpOld = gcpNow.replace(/maxReplicas: 4/, 'maxReplicas: 2');
    expect(parse(gcpOld)).toBeTruthy();
    expect(gcpOld).not.toEqual(gcpNow);
    const awsNow = first.files[0].diff
      .split('\n')
      .filter(l => l.startsWith('+') && !l.startsWith('+++'))
      .map(l => l.slice(1))
      .join('\n');
    await mergeFiles({
      author: scientist,
      approver,
      repo,
      branch: 'earlier-vidgen-xl',
      files: {
        'infrastructure/cluster-aws/models/vidgen-xl.yaml': `${awsNow}\n`,
        [gcpPath]: `${gcpOld}\n`,
      },
    });

    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send(body);
    const preview: DeploymentPreview = res.body;
    expect(preview.files.map(f => f.status)).toEqual(['unchanged', 'modified']);
    expect(preview.files[0].diff).toBe('');
    expect(preview.files[1].diff).toContain(`--- a/${gcpPath}`);
    expect(preview.files[1].diff).toMatch(/^-\s+maxReplicas: 2$/m);
    expect(preview.files[1].diff).toMatch(/^\+\s+maxReplicas: 4$/m);
  });

  it('answers every violation at once, with no files and no cost, and writes nothing', async () => {
    await commitFiles(scientist, repo, 'someone-elses-branch', {
      'x.txt': 'x',
    });
    const before = await repositoryState(scientist, repo);
    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({
        ...body,
        model: 'resource:default/../../etc',
        gpuProfile: 'a10g-1',
        maxReplicas: 40,
      });
    expect(res.status).toBe(200);
    const preview: DeploymentPreview = res.body;
    expect(preview.violations.map(v => v.rule)).toEqual(
      expect.arrayContaining(['model', 'placement']),
    );
    expect(
      preview.violations.find(v => v.rule === 'placement')?.message,
    ).toContain('europe-west1');
    expect(preview.files).toEqual([]);
    expect(preview.cost).toBeUndefined();
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it("previews the newest signed version's image, or the one asked for", async () => {
    const versioned = { ...body, model: 'resource:default/vidgen-versioned' };
    const imagesOf = async (sent: Record<string, unknown>) => {
      const res = await request(server)
        .post('/api/omnivision/deployments/preview')
        .send(sent);
      expect(res.status).toBe(200);
      const preview: DeploymentPreview = res.body;
      expect(preview.violations).toEqual([]);
      return preview.files.map(f =>
        f.diff.match(/image: (\S+)$/m)?.[1]?.trim(),
      );
    };
    const repository = 'registry.omnivision.ai/models/vidgen-versioned';
    expect(await imagesOf(versioned)).toEqual([
      `${repository}@${VERSIONS[1].imageDigest}`,
      `${repository}@${VERSIONS[1].imageDigest}`,
    ]);
    expect(await imagesOf({ ...versioned, version: '2.0.0' })).toEqual([
      `${repository}@${VERSIONS[2].imageDigest}`,
      `${repository}@${VERSIONS[2].imageDigest}`,
    ]);
  });

  it('refuses an unsigned or unknown version, naming the model and the version, and writes nothing', async () => {
    const before = await repositoryState(scientist, repo);
    for (const [version, message] of [
      [
        '2.2.0-rc.1',
        'version 2.2.0-rc.1 of vidgen-versioned is not signed; signed versions: 2.1.0, 2.0.0',
      ],
      [
        '7.0.0',
        'version "7.0.0" of vidgen-versioned is unknown; its versions: 2.2.0-rc.1, 2.1.0, 2.0.0',
      ],
    ]) {
      const sent = {
        ...body,
        model: 'resource:default/vidgen-versioned',
        version,
      };
      const preview = await request(server)
        .post('/api/omnivision/deployments/preview')
        .send(sent);
      expect(preview.status).toBe(200);
      expect(preview.body.violations).toEqual([{ rule: 'version', message }]);
      expect(preview.body.files).toEqual([]);

      // The deploy template's check (its validate action) is refused with the same message.
      const check = await request(server)
        .post('/api/omnivision/requests/checks')
        .set('authorization', viaTemplate('user:default/maya-chen'))
        .send({ request: sent });
      expect(check.status).toBe(400);
      expect(check.body.error.message).toContain(`version: ${message}`);
    }
    const tooLong = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, version: 'v'.repeat(65) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('version');
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it('refuses a malformed request with 400 and the reason', async () => {
    const extra = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, branch: 'main' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('unknown parameter branch');
    const noRegions = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, regions: [] });
    expect(noRegions.status).toBe(400);
    expect(noRegions.body.error.message).toContain('regions');
    const fractional = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, minReplicas: 1.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.error.message).toContain('minReplicas');
  });

  it('answers only a person: no credentials 401, a service 403', async () => {
    const none = await request(server)
      .post('/api/omnivision/deployments/preview')
      .set('authorization', mockCredentials.none.header())
      .send(body);
    expect(none.status).toBe(401);
    const service = await request(server)
      .post('/api/omnivision/deployments/preview')
      .set('authorization', mockCredentials.service.header())
      .send(body);
    expect(service.status).toBe(403);
  });
});
