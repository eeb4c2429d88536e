import type { ReactNode } from 'react';
import { Content, EmptyState } from '@backstage/core-components';
import type { PolledValue } from '@internal/plugin-omnivision-react';
import { PageState } from '../PageState';

/**
 * A fleet tab's content (regions, warm pool, compliance, models): the polled figures' loading,
 * error and stale states, an empty state when no region is configured (no clusters, or no
 * regions), and otherwise `children`.
 */
export function FleetPageContent<
  T extends { clusters: unknown[] } | { regions: unknown[] },
>(props: { state: PolledValue<T>; children: (value: T) => ReactNode }) {
  return (
    <Content>
      <PageState state={props.state}>
        {value =>
          ('clusters' in value ? value.clusters : value.regions).length ===
          0 ? (
            <EmptyState
              missing="data"
              title="No regions configured"
              description="Add a region under omnivision.regions in app-config.yaml, with its cluster under kubernetes.clusterLocatorMethods."
            />
          ) : (
            props.children(value)
          )
        }
      </PageState>
    </Content>
  );
}
