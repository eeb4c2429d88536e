import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import RadioButtonUncheckedIcon from '@mui/icons-material/RadioButtonUnchecked';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import type { DeploymentTimelineStep } from '@internal/plugin-omnivision-common';

const TITLE: Record<DeploymentTimelineStep['stage'], string> = {
  requested: 'Requested',
  'pr-opened': 'Pull request opened',
  approved: 'Approved',
  merged: 'Merged',
  synced: 'Synced by Argo CD',
  canary: 'Canary',
  healthy: 'Healthy',
  failed: 'Failed',
};

/** A request's timeline, from the request to a healthy canary in each region. */
export function RequestTimeline(props: { steps: DeploymentTimelineStep[] }) {
  return (
    <List dense aria-label="timeline">
      {props.steps.map(step => {
        const title = `${TITLE[step.stage]}${
          step.region ? ` in ${step.region}` : ''
        }`;
        return (
          <ListItem
            key={`${step.stage}:${step.region ?? ''}`}
            aria-label={`${title}: ${step.done ? 'done' : 'not yet'}`}
          >
            <ListItemIcon>
              {step.done ? (
                <CheckCircleIcon color="success" fontSize="small" />
              ) : (
                <RadioButtonUncheckedIcon color="disabled" fontSize="small" />
              )}
            </ListItemIcon>
            <ListItemText
              primary={title}
              secondary={
                [
                  step.detail,
                  step.at ? new Date(step.at).toLocaleString() : undefined,
                ]
                  .filter(Boolean)
                  .join(' · ') || undefined
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
