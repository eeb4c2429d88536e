import { githubAuthApiRef } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Everyone signs in with their own GitHub account: in production the company's GitHub, in
 * development the sandbox's (app-config.yaml points the GitHub provider at it). Actions a person
 * takes on pull requests use this identity.
 */
export const GitHubSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { SignInPage } = await import('@backstage/core-components');
      return props => (
        <SignInPage
          {...props}
          title="OmniVision Portal"
          align="center"
          providers={[
            {
              id: 'github-auth-provider',
              title: 'GitHub',
              message: 'Sign in with your GitHub account',
              apiRef: githubAuthApiRef,
            },
          ]}
        />
      );
    },
  },
});
