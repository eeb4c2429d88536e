import type { z as zod } from 'zod/v3';

/**
 * The pull request a template's record step names, field by field: what
 * `omnivision:deployment:record` and `omnivision:model-change:record` take besides the request.
 */
export const pullRequestFields = {
  pullRequestNumber: (z: typeof zod) =>
    z.number().int().positive().describe('The pull request it opened'),
  pullRequestUrl: (z: typeof zod) =>
    z.string().describe("The pull request's URL"),
  branch: (z: typeof zod) => z.string().describe("The pull request's branch"),
};
