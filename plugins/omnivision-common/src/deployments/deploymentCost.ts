import type { DeploymentRequest, GpuProfile } from './DeploymentRequest';

/** Hours in an average month, as cloud price lists count them. @public */
export const HOURS_PER_MONTH = 730;

/** What a deployment costs at its fewest and its most replicas. @public */
export interface DeploymentCost {
  regions: Array<{
    region: string;
    hourlyMinUsd: number;
    hourlyMaxUsd: number;
  }>;
  hourlyMinUsd: number;
  hourlyMaxUsd: number;
  monthlyMinUsd: number;
  monthlyMaxUsd: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The hourly and monthly cost of a request: the profile's price per replica in each region,
 * times the minimum and the maximum replicas. A region without a price counts as an error.
 *
 * @public
 */
export function estimateDeploymentCost(
  request: Pick<DeploymentRequest, 'regions' | 'minReplicas' | 'maxReplicas'>,
  profile: GpuProfile,
): DeploymentCost {
  const regions = request.regions.map(region => {
    const price = profile.hourlyPriceUsd[region];
    if (price === undefined)
      throw new Error(`GPU profile ${profile.id} has no price in ${region}`);
    return {
      region,
      hourlyMinUsd: cents(price * request.minReplicas),
      hourlyMaxUsd: cents(price * request.maxReplicas),
    };
  });
  const hourlyMin = regions.reduce((s, r) => s + r.hourlyMinUsd, 0);
  const hourlyMax = regions.reduce((s, r) => s + r.hourlyMaxUsd, 0);
  return {
    regions,
    hourlyMinUsd: cents(hourlyMin),
    hourlyMaxUsd: cents(hourlyMax),
    monthlyMinUsd: cents(hourlyMin * HOURS_PER_MONTH),
    monthlyMaxUsd: cents(hourlyMax * HOURS_PER_MONTH),
  };
}
