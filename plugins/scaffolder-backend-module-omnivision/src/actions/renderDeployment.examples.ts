import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const renderDeploymentExamples: TemplateExample[] = [
  {
    description:
      'Render the values of frame-interp on a MIG slice in us-west-2',
    example: stringify({
      steps: [
        {
          id: 'render',
          action: 'omnivision:deployment:render',
          name: 'Render the Helm values',
          input: {
            model: 'resource:default/frame-interp',
            gpuProfile: 'a100-mig-1g5gb',
            regions: ['us-west-2'],
            minReplicas: 1,
            maxReplicas: 3,
          },
        },
      ],
    }),
  },
];
