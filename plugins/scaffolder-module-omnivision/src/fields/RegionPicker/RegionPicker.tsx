import { useCallback } from 'react';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { readDeploymentRegions } from '@internal/plugin-omnivision-common';
import {
  REACHABILITY_COLOR,
  clusterReachability,
  usePolledFleet,
} from '@internal/plugin-omnivision-react';

/** The region ids of a form value, without the empty items the form may have filled in. */
export function regionIds(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((id): id is string => typeof id === 'string' && id !== '')
    : [];
}

/** The regions a model can be deployed to, each with its cluster's reachability, live. */
export function RegionPicker(props: FieldExtensionComponentProps<string[]>) {
  const { onChange, rawErrors, required, schema } = props;
  // The form fills an array up to minItems with empty items: keep only region ids.
  const formData = regionIds(props.formData);
  const regions = readDeploymentRegions(useApi(configApiRef));
  // Without live figures (none yet, or the fleet cannot be read) the form still works.
  const fleet = usePolledFleet().value;
  const toggle = useCallback(
    (id: string, checked: boolean) =>
      onChange(
        checked
          ? [...formData.filter(r => r !== id), id]
          : formData.filter(r => r !== id),
      ),
    [formData, onChange],
  );
  return (
    <FormControl
      required={required}
      error={!!rawErrors?.length}
      component="fieldset"
    >
      <FormLabel component="legend">{schema.title ?? 'Regions'}</FormLabel>
      <FormGroup>
        {regions.map(region => {
          const cluster = fleet?.clusters.find(c => c.name === region.cluster);
          const reachability = cluster && clusterReachability(cluster.health);
          return (
            <FormControlLabel
              key={region.id}
              control={
                <Checkbox
                  checked={formData.includes(region.id)}
                  onChange={e => toggle(region.id, e.target.checked)}
                />
              }
              label={
                <>
                  {region.id} ({region.cloud.toUpperCase()}, {region.cluster}){' '}
                  <Chip
                    size="small"
                    color={
                      reachability
                        ? REACHABILITY_COLOR[reachability]
                        : 'default'
                    }
                    label={reachability ?? 'checking…'}
                  />
                </>
              }
            />
          );
        })}
      </FormGroup>
      <FormHelperText>
        {schema.description ??
          'A region that is down still takes the pull request; it syncs when back.'}
      </FormHelperText>
    </FormControl>
  );
}

export const RegionPickerField = createFormField({
  name: 'RegionPicker',
  component: RegionPicker,
});
