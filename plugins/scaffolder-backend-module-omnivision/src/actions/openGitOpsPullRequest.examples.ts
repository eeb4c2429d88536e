import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const openGitOpsPullRequestExamples: TemplateExample[] = [
  {
    description: 'Open the pull request of the rendered values',
    example: stringify({
      steps: [
        {
          id: 'pr',
          action: 'omnivision:gitops:pull-request',
          name: 'Open the GitOps pull request',
          input: {
            branch: '${{ steps.render.output.branch }}',
            title: '${{ steps.render.output.title }}',
            body: '${{ steps.render.output.body }}',
            files: '${{ steps.render.output.files }}',
          },
        },
      ],
    }),
  },
];
