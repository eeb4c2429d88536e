import type { ReactNode } from 'react';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import ErrorIcon from '@mui/icons-material/Error';
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
  failed: 'Rollout failed',
  retired: 'Retired',
};

/** How a step reads: its label's word and its icon (a failure red, never a green check). */
function outcomeOf(step: DeploymentTimelineStep): {
  word: string;
  icon: ReactNode;
} {
  if (step.stage === 'failed') {
    return {
      word: 'failed',
      icon: <ErrorIcon color="error" fontSize="small" />,
    };
  }
  if (step.done) {
    return {
      word: 'done',
      icon: <CheckCircleIcon color="success" fontSize="small" />,
    };
  }
  return {
    word: 'not yet',
    icon: <RadioButtonUncheckedIcon color="disabled" fontSize="small" />,
  };
}

/**
 * A request's timeline, from the request to a healthy canary in each region; a region whose
 * rollout failed shows its failure in red.
 */
export function RequestTimeline(props: { steps: DeploymentTimelineStep[] }) {
  return (
    <List dense aria-label="timeline">
      {props.steps.map(step => {
        const title = `${TITLE[step.stage]}${
          step.region ? ` in ${step.region}` : ''
        }`;
        const { word, icon } = outcomeOf(step);
        return (
          <ListItem
            key={`${step.stage}:${step.region ?? ''}`}
            aria-label={`${title}: ${word}`}
          >
            <ListItemIcon>{icon}</ListItemIcon>
            <ListItemText
              primary={title}
              primaryTypographyProps={
                step.stage === 'failed' ? { color: 'error' } : undefined
              }
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
