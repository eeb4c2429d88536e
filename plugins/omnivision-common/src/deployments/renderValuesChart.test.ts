import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { renderValuesFiles } from './renderValues';
import {
  GITOPS_CHART_PATH,
  clusterOverridesPath,
  parseModelValuesPath,
} from './gitOpsLayout';
import { contextFixture, requestFixture } from '../testing/deploymentFixtures';
import type { DeploymentRequest } from './DeploymentRequest';

// The chart's values.schema.json is the contract between this renderer and the chart: every
// file the renderer writes must validate against it and render with Helm.
const GITOPS = path.resolve(__dirname, '../../../../gitops');
const CHART = path.join(GITOPS, GITOPS_CHART_PATH);
const helm = process.env.HELM_BIN ?? 'helm';
const schema = JSON.parse(
  fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const REQUESTS: Array<[string, Partial<DeploymentRequest>]> = [
  ['a whole A100, canary, autoscaled', {}],
  [
    'a MIG slice, no canary, fixed replicas',
    {
      gpuProfile: 'a100-mig-1g5gb',
      rollout: 'direct',
      minReplicas: 3,
      maxReplicas: 3,
    },
  ],
  ['an AWS-only profile', { gpuProfile: 'a10g-1', regions: ['us-west-2'] }],
];

describe('renderValuesFiles and the omnivision-platform chart', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-values-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(REQUESTS)(
    '%s: each file validates against values.schema.json, passes helm lint and renders',
    async (_title, overrides) => {
      for (const file of renderValuesFiles(
        requestFixture(overrides),
        contextFixture(),
      )) {
        const values = parse(file.content);
        expect(validate(values) ? [] : validate.errors).toEqual([]);

        const local = path.join(dir, path.basename(file.path));
        fs.writeFileSync(local, file.content);
        const { gitopsFolder, model } = parseModelValuesPath(file.path)!;
        const valueArgs = [
          '-f',
          path.join(GITOPS, clusterOverridesPath(gitopsFolder)),
          '-f',
          local,
        ];
        const lint = await promisify(execFile)(helm, [
          'lint',
          CHART,
          ...valueArgs,
        ]);
        expect(lint.stdout).toContain('0 chart(s) failed');
        const { stdout } = await promisify(execFile)(helm, [
          'template',
          model,
          CHART,
          '--namespace',
          'omnivision-models',
          ...valueArgs,
        ]);
        const rollout = parseAllDocuments(stdout)
          .map(d => d.toJS())
          .find(o => o?.kind === 'Rollout');
        const pod = rollout.spec.template;
        expect(rollout.metadata.name).toBe(model);
        expect(pod.spec.containers[0].image).toBe(values.aiWorker.image);
        expect(pod.spec.containers[0].resources.limits).toEqual(
          Object.fromEntries(
            Object.entries(values.aiWorker.resources.limits).map(([k, v]) => [
              k,
              String(v),
            ]),
          ),
        );
        expect(pod.metadata.labels).toMatchObject({
          'hipaa-compliant': 'true',
          'omnivision.ai/model': model,
        });
        expect(rollout.spec.replicas).toBe(values.autoscaling.minReplicas);
        expect(rollout.spec.strategy.canary.steps).toEqual(
          values.rollout.canary.steps,
        );
      }
    },
    60_000,
  );

  it('the schema refuses what the chart must never run', () => {
    const [file] = renderValuesFiles(requestFixture(), contextFixture());
    const values = parse(file.content);
    const broken = (change: (v: any) => void) => {
      const copy = structuredClone(values);
      change(copy);
      return validate(copy);
    };
    expect(broken(() => undefined)).toBe(true);
    expect(broken(v => (v.aiWorker.image = 'registry.example/m:latest'))).toBe(
      false,
    );
    expect(broken(v => (v.aiWorker.podLabels['hipaa-compliant'] = 'no'))).toBe(
      false,
    );
    expect(
      broken(v => (v.aiWorker.podSecurityContext.runAsNonRoot = false)),
    ).toBe(false);
    expect(broken(v => (v.aiWorker.typo = true))).toBe(false);
    expect(broken(v => (v.model.name = 'Not_A_Label'))).toBe(false);
  });
});
