import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to the OmniVision Portal

Deploy video-generation models to the GPU fleet without waiting on the
platform team: every change reaches the clusters through a reviewed pull
request in the GitOps repository.

- **Catalog**: models, services, clusters and teams in the [catalog](/catalog).
- **Deploy a model**: pick a model and a GPU profile in [Create](/create).
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What the OmniVision Portal is for',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
