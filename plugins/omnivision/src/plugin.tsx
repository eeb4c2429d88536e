import {
  ApiBlueprint,
  PageBlueprint,
  SubPageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import MemoryIcon from '@mui/icons-material/Memory';
import RocketLaunchIcon from '@mui/icons-material/RocketLaunch';
import {
  omnivisionApiRef,
  OmniVisionClient,
} from '@internal/plugin-omnivision-react';
import {
  clusterRouteRef,
  requestRouteRef,
  requestsRouteRef,
  rootRouteRef,
} from './routes';

/** The client of `/api/omnivision`. */
export const omnivisionApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: omnivisionApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new OmniVisionClient(discoveryApi, fetchApi),
    }),
});

/** Where the fleet's pages are mounted (unless the app's config moves them). */
const FLEET_PATH = '/fleet';

/** The regions' overview, the fleet's first tab. */
const loadFleetOverviewPage = () => import('./components/FleetOverviewPage');

// An app opened on the fleet (the page most visits start on) loads the overview's code while it
// signs the person in, rather than after: the regions show a round trip sooner.
if (
  typeof window !== 'undefined' &&
  (window.location.pathname === FLEET_PATH ||
    window.location.pathname.startsWith(`${FLEET_PATH}/overview`))
) {
  void loadFleetOverviewPage();
}

/** `/fleet`, in the sidebar: the overview, warm pool, compliance and models as tabs. */
export const fleetPage = PageBlueprint.make({
  params: {
    path: FLEET_PATH,
    title: 'Fleet',
    icon: <MemoryIcon />,
    routeRef: rootRouteRef,
  },
});

export const fleetOverviewSubPage = SubPageBlueprint.make({
  name: 'overview',
  params: {
    path: 'overview',
    title: 'Regions',
    loader: () => loadFleetOverviewPage().then(m => <m.FleetOverviewPage />),
  },
});

export const warmPoolSubPage = SubPageBlueprint.make({
  name: 'warm-pool',
  params: {
    path: 'warm-pool',
    title: 'Warm pool',
    loader: () =>
      import('./components/WarmPoolPage').then(m => <m.WarmPoolPage />),
  },
});

export const complianceSubPage = SubPageBlueprint.make({
  name: 'compliance',
  params: {
    path: 'compliance',
    title: 'Compliance',
    loader: () =>
      import('./components/CompliancePage').then(m => <m.CompliancePage />),
  },
});

/** `/fleet/models`: the model × region matrix. */
export const modelMatrixSubPage = SubPageBlueprint.make({
  name: 'models',
  params: {
    path: 'models',
    title: 'Models',
    loader: () =>
      import('./components/ModelMatrixPage').then(m => <m.ModelMatrixPage />),
  },
});

/** `/fleet/clusters/:name`: one cluster in detail (reached from the region cards). */
export const clusterPage = PageBlueprint.make({
  name: 'cluster',
  params: {
    path: '/fleet/clusters/:name',
    routeRef: clusterRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ClusterPage').then(m => <m.ClusterPage />),
  },
});

/** `/deployments`, in the sidebar: the deployment requests, mine, to review, or all. */
export const deploymentRequestsPage = PageBlueprint.make({
  name: 'requests',
  params: {
    path: '/deployments',
    title: 'Deployments',
    icon: <RocketLaunchIcon />,
    routeRef: requestsRouteRef,
    loader: () =>
      import('./components/DeploymentRequestsPage').then(m => (
        <m.DeploymentRequestsPage />
      )),
  },
});

/** `/deployments/:number`: one request, its timeline, reviews and diff. */
export const deploymentRequestPage = PageBlueprint.make({
  name: 'request',
  params: {
    path: '/deployments/:number',
    routeRef: requestRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/DeploymentRequestPage').then(m => (
        <m.DeploymentRequestPage />
      )),
  },
});

/** The "Deployments" tab of every model (a Resource of type ai-model). */
export const modelDeploymentsContent = EntityContentBlueprint.make({
  name: 'model-deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: entity =>
      entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
      entity.spec?.type === 'ai-model',
    loader: () =>
      import('./components/ModelDeploymentsContent').then(m => (
        <m.ModelDeploymentsContent />
      )),
  },
});

/**
 * The OmniVision pages: per-region fleet overview, cluster detail, warm pool, compliance and the
 * model × region matrix, a
 * Deployments tab on each model, and the deployment requests with their review and timeline.
 *
 * @public
 */
export const omnivisionPlugin = createFrontendPlugin({
  pluginId: 'omnivision',
  title: 'Fleet',
  extensions: [
    omnivisionApi,
    fleetPage,
    fleetOverviewSubPage,
    warmPoolSubPage,
    complianceSubPage,
    modelMatrixSubPage,
    clusterPage,
    modelDeploymentsContent,
    deploymentRequestsPage,
    deploymentRequestPage,
  ],
  routes: {
    root: rootRouteRef,
    cluster: clusterRouteRef,
    requests: requestsRouteRef,
    request: requestRouteRef,
  },
});
