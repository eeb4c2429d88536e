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
      /**
       * The group whose members are the code owners of the deployment files (the team
       * CODEOWNERS names): a request passes the `omnivision/approval` gate only with the
       * approval of one of them who is not its requester, and they are notified of new
       * requests. Default `group:default/platform-team`.
       */
      approvers?: string;
    };
  };
}
