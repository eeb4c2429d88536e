import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const planModelChangeExamples: TemplateExample[] = [
  {
    description: 'Plan the retirement of vidgen-xl from us-west-2',
    example: stringify({
      steps: [
        {
          id: 'plan',
          action: 'omnivision:model-change:plan',
          name: 'Plan the retirement',
          input: {
            kind: 'retire',
            model: 'resource:default/vidgen-xl',
            regions: ['us-west-2'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Plan the rollback of vidgen-xl in both regions to the version last recorded healthy there',
    example: stringify({
      steps: [
        {
          id: 'plan',
          action: 'omnivision:model-change:plan',
          name: 'Plan the rollback',
          input: {
            kind: 'rollback',
            model: '${{ parameters.model }}',
            regions: '${{ parameters.regions }}',
          },
        },
      ],
    }),
  },
];
