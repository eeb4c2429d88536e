/**
 * The scaffolder's page of one of the portal's templates (namespace `default`), its form prefilled
 * with `formData`: the scaffolder reads a `formData` query parameter (JSON) as the form's initial
 * state.
 */
export function templateUrl(
  template: 'deploy-model' | 'rollback-model' | 'retire-model',
  formData: Record<string, unknown>,
): string {
  return `/create/templates/default/${template}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}
