import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  ModelVersion,
  newestSignedVersion,
  readModelVersions,
} from '@internal/plugin-omnivision-common';

type Versions =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'loaded'; versions: ModelVersion[] }
  | { state: 'failed'; reason: string };

/** The chosen model's versions, read from its catalog entity. */
function useModelVersions(modelRef: string | undefined): Versions {
  const catalog = useApi(catalogApiRef);
  const [versions, setVersions] = useState<Versions>({ state: 'none' });
  useEffect(() => {
    if (!modelRef) {
      setVersions({ state: 'none' });
      return undefined;
    }
    let current = true;
    setVersions({ state: 'loading' });
    catalog.getEntityByRef(modelRef).then(
      entity => {
        if (!current) return;
        if (!entity) {
          setVersions({
            state: 'failed',
            reason: `${modelRef} is not in the catalog`,
          });
          return;
        }
        const read = readModelVersions(
          (entity.spec?.model as { versions?: unknown } | undefined)?.versions,
        );
        setVersions(
          read.problems
            ? { state: 'failed', reason: read.problems }
            : { state: 'loaded', versions: read.versions ?? [] },
        );
      },
      error => {
        if (current)
          setVersions({
            state: 'failed',
            reason: String(error?.message ?? error),
          });
      },
    );
    return () => {
      current = false;
    };
  }, [catalog, modelRef]);
  return versions;
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * The chosen model's versions from its catalog entity, newest first: the signed ones to choose
 * from, the unsigned ones shown but disabled (policy refuses them). The first choice, and the
 * default, is none: the server deploys the newest signed version, named beside it.
 */
export function ModelVersionPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const { formData, onChange, rawErrors, required, schema, formContext } =
    props;
  const modelRef: string | undefined =
    formContext?.formData?.model || undefined;
  const versions = useModelVersions(modelRef);
  const listed =
    versions.state === 'loaded'
      ? [...versions.versions].sort(
          (a, b) => Date.parse(b.releasedAt) - Date.parse(a.releasedAt),
        )
      : [];
  const newest = newestSignedVersion(listed);
  const chosen = listed.find(v => v.version === formData);
  const notAllowed =
    !!formData && versions.state === 'loaded' && chosen?.signed !== true;
  let help =
    schema.description ?? 'Leave it to deploy the newest signed version.';
  if (!modelRef) help = 'Choose a model first.';
  else if (versions.state === 'failed') help = versions.reason;
  else if (notAllowed)
    help = chosen
      ? `${formData} is not signed: choose a signed version`
      : `${formData} is not a version of this model`;
  return (
    <FormControl
      required={required}
      error={!!rawErrors?.length || notAllowed || versions.state === 'failed'}
      component="fieldset"
    >
      <FormLabel component="legend">{schema.title ?? 'Version'}</FormLabel>
      <RadioGroup
        value={formData ?? ''}
        onChange={e => onChange(e.target.value || undefined)}
        aria-label="Version"
      >
        <FormControlLabel
          value=""
          control={<Radio />}
          disabled={!modelRef}
          label={
            newest
              ? `Newest signed (${newest.version})`
              : 'Newest signed (chosen on the server)'
          }
        />
        {listed.map(version => (
          <FormControlLabel
            key={version.version}
            value={version.version}
            control={<Radio />}
            disabled={!version.signed}
            label={
              <span>
                {version.version}
                <Typography
                  component="span"
                  variant="body2"
                  color="text.secondary"
                  display="block"
                >
                  {version.signed ? 'signed' : 'not signed'} · released{' '}
                  {day(version.releasedAt)} ·{' '}
                  <code>{version.imageDigest.slice(0, 19)}</code>
                </Typography>
              </span>
            }
          />
        ))}
      </RadioGroup>
      <FormHelperText>{help}</FormHelperText>
    </FormControl>
  );
}

export const ModelVersionPickerField = createFormField({
  name: 'ModelVersionPicker',
  component: ModelVersionPicker,
});
