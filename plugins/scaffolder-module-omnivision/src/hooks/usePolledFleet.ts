import { useEffect, useState } from 'react';
import type { FleetStatus } from '@internal/plugin-omnivision-common';
import type { OmniVisionApi } from '@internal/plugin-omnivision-react';

/** The fleet's figures for the form, refreshed every 10 s; undefined until the first answer. */
export function usePolledFleet(api: OmniVisionApi): FleetStatus | undefined {
  const [fleet, setFleet] = useState<FleetStatus>();
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api.getFleet().then(
        value => !stopped && setFleet(value),
        () => undefined, // the form works without live figures: the server decides
      );
    load();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') load();
    }, 10_000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);
  return fleet;
}
