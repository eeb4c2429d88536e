import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { GitHubSignInPage } from './GitHubSignInPage';

/** Replaces the app's default (guest) sign-in page with GitHub sign-in. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [GitHubSignInPage],
});
