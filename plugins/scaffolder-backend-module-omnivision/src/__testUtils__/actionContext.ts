import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { UserEntity } from '@backstage/catalog-model';

/** A data scientist of the data-science team, as the scaffolder hands the task's user over. */
export const MAYA: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'maya-chen' },
  spec: {},
  relations: [{ type: 'memberOf', targetRef: 'group:default/data-science' }],
};

/** A minimal action context: the input, the user, and the outputs it collects. */
export function actionContext<T>(
  input: T,
  options: { user?: UserEntity; dryRun?: boolean } = {},
) {
  const outputs: Record<string, unknown> = {};
  const user = options.user ?? MAYA;
  return {
    outputs,
    ctx: {
      input,
      logger: mockServices.logger.mock(),
      workspacePath: '/tmp',
      isDryRun: options.dryRun ?? false,
      task: { id: 'task-1' },
      user: { entity: user, ref: `user:default/${user.metadata.name}` },
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      getInitiatorCredentials: async () =>
        mockCredentials.user(`user:default/${user.metadata.name}`),
      createTemporaryDirectory: async () => '/tmp',
      checkpoint: async (opts: any) => opts.fn(),
    } as any,
  };
}
