import type { ReactNode } from 'react';
import Grid from '@mui/material/Grid';
import { Content, Header, Page } from '@backstage/core-components';
import type { PolledValue } from '@internal/plugin-omnivision-react';
import { PageState } from '../PageState';

/**
 * A page about one thing (a cluster, a deployment request): its header, the polled value's
 * loading, error and stale states, and `children` as the items of a grid.
 */
export function DetailPage<T>(props: {
  title: string;
  subtitle?: string;
  state: PolledValue<T>;
  children: (value: T) => ReactNode;
}) {
  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={props.subtitle} />
      <Content>
        <PageState state={props.state}>
          {value => (
            <Grid container spacing={2}>
              {props.children(value)}
            </Grid>
          )}
        </PageState>
      </Content>
    </Page>
  );
}
