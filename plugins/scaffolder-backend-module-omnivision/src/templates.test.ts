import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createValidateDeploymentAction } from './actions/validateDeployment';
import { createRenderDeploymentAction } from './actions/renderDeployment';
import { createOpenGitOpsPullRequestAction } from './actions/openGitOpsPullRequest';
import { createRecordDeploymentAction } from './actions/recordDeployment';
import { createPlanModelChangeAction } from './actions/planModelChange';
import { createRecordModelChangeAction } from './actions/recordModelChange';

const TEMPLATES = path.resolve(__dirname, '../../../templates');

const template = (name: string) =>
  parse(fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'));

/** The module's actions by id, with the input fields and outputs each declares. */
const actions = new Map(
  [
    createValidateDeploymentAction({ planner: {} as any, requests: {} as any }),
    createRenderDeploymentAction({ planner: {} as any }),
    createOpenGitOpsPullRequestAction({ gitOps: {} as any, gitopsFolders: [] }),
    createRecordDeploymentAction({ requests: {} as any }),
    createPlanModelChangeAction({ requests: {} as any }),
    createRecordModelChangeAction({ requests: {} as any }),
  ].map(a => [a.id, a.schema as any]),
);

describe('the templates against the actions they run', () => {
  it.each(['deploy-model', 'rollback-model', 'retire-model'])(
    '%s runs only actions of the module, with inputs they declare and outputs they give',
    name => {
      const { spec } = template(name);
      const outputs = new Map<string, string[]>();
      for (const step of spec.steps) {
        const schema = actions.get(step.action);
        expect(schema).toBeDefined();
        expect(Object.keys(step.input)).toEqual(
          expect.arrayContaining(schema.input.required ?? []),
        );
        for (const key of Object.keys(step.input)) {
          expect([step.id, key, key in schema.input.properties]).toEqual([
            step.id,
            key,
            true,
          ]);
        }
        for (const value of Object.values(step.input).map(String)) {
          for (const [, id, out] of value.matchAll(
            /steps\.([\w-]+)\.output\.(\w+)/g,
          )) {
            expect([value, outputs.get(id)]).toEqual([
              value,
              expect.arrayContaining([out]),
            ]);
          }
        }
        outputs.set(step.id, Object.keys(schema.output?.properties ?? {}));
      }
    },
  );

  it.each([
    ['rollback-model', 'rollback'],
    ['retire-model', 'retire'],
  ])(
    '%s takes exactly model and regions, and plans and records a %s',
    (name, kind) => {
      const { spec } = template(name);
      const parameters = spec.parameters.flatMap((p: any) =>
        Object.keys(p.properties),
      );
      expect(parameters).toEqual(['model', 'regions']);
      const kinds = spec.steps
        .filter((s: any) => s.input.kind !== undefined)
        .map((s: any) => `${s.action} ${s.input.kind}`);
      expect(kinds).toEqual([
        `omnivision:model-change:plan ${kind}`,
        `omnivision:model-change:record ${kind}`,
      ]);
    },
  );
});
