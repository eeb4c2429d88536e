import { act, render, screen } from '@testing-library/react';
import type { ClusterHealth } from '@internal/plugin-omnivision-common';
import { ClusterHealthChip, formatAge } from './ClusterHealthChip';
import { clusterReachability } from './clusterReachability';

const healthy: ClusterHealth = {
  reachable: true,
  synced: true,
  stale: false,
  dataAgeSeconds: 4,
  kubernetesVersion: 'v1.31.2',
  resourceErrors: [],
};

describe('ClusterHealthChip', () => {
  it('says reachable, stale or down, with the age of the figures when they are old (as built, without a last contact)', () => {
    const { rerender } = render(<ClusterHealthChip health={healthy} />);
    expect(screen.getByLabelText('cluster reachable')).toHaveTextContent(
      'Reachable',
    );
    rerender(
      <ClusterHealthChip
        health={{ ...healthy, stale: true, dataAgeSeconds: 240 }}
      />,
    );
    expect(screen.getByText('Stale · data 4 min old')).toBeInTheDocument();
    rerender(
      <ClusterHealthChip
        health={{
          ...healthy,
          reachable: false,
          stale: true,
          dataAgeSeconds: 7200,
        }}
      />,
    );
    expect(
      screen.getByLabelText('cluster down · data 2 h old'),
    ).toBeInTheDocument();
  });

  it('counts the age from the last contact, and keeps counting while the page shows the same health', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-24T08:00:40Z') });
    try {
      render(
        <ClusterHealthChip
          health={{
            ...healthy,
            reachable: false,
            stale: true,
            lastContact: '2026-11-24T08:00:00Z',
            // The age when the backend built the document: not the age now.
            dataAgeSeconds: 4,
          }}
        />,
      );
      expect(screen.getByText('Down · data 40 s old')).toBeInTheDocument();
      await act(async () => {
        await jest.advanceTimersByTimeAsync(20_000);
      });
      expect(screen.getByText('Down · data 60 s old')).toBeInTheDocument();
      await act(async () => {
        await jest.advanceTimersByTimeAsync(120_000);
      });
      expect(screen.getByText('Down · data 3 min old')).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('reads a health the way the region picker reads it', () => {
    expect(clusterReachability(healthy)).toBe('reachable');
    expect(clusterReachability({ ...healthy, stale: true })).toBe('stale');
    expect(
      clusterReachability({ ...healthy, reachable: false, stale: true }),
    ).toBe('down');
  });

  it('formats ages in seconds, minutes or hours', () => {
    expect(formatAge(undefined)).toBe('never');
    expect(formatAge(12)).toBe('12 s');
    expect(formatAge(600)).toBe('10 min');
    expect(formatAge(3 * 3600)).toBe('3 h');
  });
});
