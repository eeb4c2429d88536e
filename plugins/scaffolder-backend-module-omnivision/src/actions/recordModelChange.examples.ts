import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const recordModelChangeExamples: TemplateExample[] = [
  {
    description:
      'Record the retirement whose pull request the previous step opened',
    example: stringify({
      steps: [
        {
          id: 'record',
          action: 'omnivision:model-change:record',
          name: 'Record the request',
          input: {
            kind: 'retire',
            model: '${{ parameters.model }}',
            regions: '${{ parameters.regions }}',
            pullRequestNumber: '${{ steps.pr.output.pullRequestNumber }}',
            pullRequestUrl: '${{ steps.pr.output.pullRequestUrl }}',
            branch: '${{ steps.plan.output.branch }}',
          },
        },
      ],
    }),
  },
];
