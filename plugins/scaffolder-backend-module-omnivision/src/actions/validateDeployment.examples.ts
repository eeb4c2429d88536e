import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const validateDeploymentExamples: TemplateExample[] = [
  {
    description:
      'Check a deployment of vidgen-xl on one A100 per replica in both regions',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'omnivision:deployment:validate',
          name: 'Check the request against the policy',
          input: {
            model: 'resource:default/vidgen-xl',
            gpuProfile: 'a100-40gb-1',
            regions: ['us-west-2', 'europe-west1'],
            minReplicas: 2,
            maxReplicas: 4,
            rollout: 'canary',
          },
        },
      ],
    }),
  },
];
