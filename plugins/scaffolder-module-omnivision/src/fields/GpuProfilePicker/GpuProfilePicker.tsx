import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  profilesOffered,
  readDeploymentRegions,
  readGpuProfiles,
} from '@internal/plugin-omnivision-common';
import { usePolledFleet } from '@internal/plugin-omnivision-react';
import { profileCapacity } from '../fleetFigures';
import { regionIds } from '../RegionPicker/RegionPicker';

/**
 * The GPU profiles offered in every region chosen so far, each with, per region, the GPUs of its
 * kind free right now and the warm pool's headroom. A convenience: the server decides.
 */
export function GpuProfilePicker(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, rawErrors, required, schema, formContext } =
    props;
  const config = useApi(configApiRef);
  const profiles = readGpuProfiles(config);
  const regions = readDeploymentRegions(config);
  const fleet = usePolledFleet().value;
  const chosen = regionIds(formContext?.formData?.regions);
  const offered = profilesOffered(profiles, regions, chosen);
  const selectedButNotOffered =
    !!formData && !offered.some(p => p.id === formData);
  return (
    <FormControl
      required={required}
      error={!!rawErrors?.length || selectedButNotOffered}
      component="fieldset"
    >
      <FormLabel component="legend">{schema.title ?? 'GPU profile'}</FormLabel>
      <RadioGroup
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
        aria-label="GPU profile"
      >
        {offered.map(profile => (
          <FormControlLabel
            key={profile.id}
            value={profile.id}
            control={<Radio />}
            label={
              <span>
                {profile.title} · {profile.gpuMemoryGiB} GiB
                <Typography
                  component="span"
                  variant="body2"
                  color="text.secondary"
                  display="block"
                >
                  {(chosen.length ? chosen : regions.map(r => r.id))
                    .map(id => {
                      const region = regions.find(r => r.id === id);
                      const cluster = fleet?.clusters.find(
                        c => c.name === region?.cluster,
                      );
                      const capacity = profileCapacity(cluster, profile);
                      const price = profile.hourlyPriceUsd[id];
                      return `${id}: ${
                        capacity
                          ? `${capacity.free} free, headroom ${Math.round(
                              capacity.headroom * 100,
                            )}%`
                          : 'no live figures'
                      }${
                        price !== undefined
                          ? `, $${price.toFixed(2)}/h per replica`
                          : ''
                      }`;
                    })
                    .join(' · ')}
                </Typography>
              </span>
            }
          />
        ))}
      </RadioGroup>
      <FormHelperText>
        {selectedButNotOffered
          ? `${formData} is not offered in every chosen region`
          : schema.description ??
            'Only the profiles offered in every chosen region are listed.'}
      </FormHelperText>
    </FormControl>
  );
}

export const GpuProfilePickerField = createFormField({
  name: 'GpuProfilePicker',
  component: GpuProfilePicker,
});
