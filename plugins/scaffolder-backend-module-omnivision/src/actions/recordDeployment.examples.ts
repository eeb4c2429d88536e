import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const recordDeploymentExamples: TemplateExample[] = [
  {
    description:
      'Record the request of the pull request the previous step opened',
    example: stringify({
      steps: [
        {
          id: 'record',
          action: 'omnivision:deployment:record',
          name: 'Record the request',
          input: {
            model: '${{ parameters.model }}',
            gpuProfile: '${{ parameters.gpuProfile }}',
            regions: '${{ parameters.regions }}',
            minReplicas: '${{ parameters.minReplicas }}',
            maxReplicas: '${{ parameters.maxReplicas }}',
            rollout: '${{ parameters.rollout }}',
            pullRequestNumber: '${{ steps.pr.output.pullRequestNumber }}',
            pullRequestUrl: '${{ steps.pr.output.pullRequestUrl }}',
            branch: '${{ steps.render.output.branch }}',
          },
        },
      ],
    }),
  },
];
