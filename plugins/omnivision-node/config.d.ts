export interface Config {
  omnivision?: {
    // omnivision.gpuProfiles and omnivision.regions: declared by @internal/plugin-omnivision-common.
    /** GPUs each team may hold across the fleet. */
    teamQuotas?: Array<{
      /** A group name (data-science) or entity ref (group:default/data-science). */
      team: string;
      maxGpus: number;
    }>;
    /** The GitOps repository the deploy flow opens pull requests in. */
    gitops?: {
      /** The host of the integrations.github entry whose credentials the portal uses. */
      host: string;
      owner: string;
      repo: string;
      /** Default main. */
      baseBranch?: string;
    };
  };
}
