import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:field: GpuProfilePicker`: profiles offered in the chosen regions, with live capacity. */
export const gpuProfilePickerFormField = FormFieldBlueprint.make({
  name: 'gpu-profile-picker',
  params: {
    field: () =>
      import('./fields/GpuProfilePicker/GpuProfilePicker').then(
        m => m.GpuProfilePickerField,
      ),
  },
});

/** `ui:field: ModelVersionPicker`: the chosen model's versions, signed ones to choose from. */
export const modelVersionPickerFormField = FormFieldBlueprint.make({
  name: 'model-version-picker',
  params: {
    field: () =>
      import('./fields/ModelVersionPicker/ModelVersionPicker').then(
        m => m.ModelVersionPickerField,
      ),
  },
});

/** `ui:field: RegionPicker`: the regions with their clusters' reachability. */
export const regionPickerFormField = FormFieldBlueprint.make({
  name: 'region-picker',
  params: {
    field: () =>
      import('./fields/RegionPicker/RegionPicker').then(
        m => m.RegionPickerField,
      ),
  },
});

/** `ui:field: DeploymentReview`: the request's files as a diff against main, and its cost. */
export const deploymentReviewFormField = FormFieldBlueprint.make({
  name: 'deployment-review',
  params: {
    field: () =>
      import('./fields/DeploymentReview/DeploymentReview').then(
        m => m.DeploymentReviewField,
      ),
  },
});

/**
 * The OmniVision form fields of the scaffolder.
 *
 * @public
 */
export const scaffolderModuleOmniVision = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    gpuProfilePickerFormField,
    modelVersionPickerFormField,
    regionPickerFormField,
    deploymentReviewFormField,
  ],
});
