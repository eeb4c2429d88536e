export interface Config {
  omnivision?: {
    /** GPU profiles data scientists deploy models on. */
    gpuProfiles?: Array<{
      /** @visibility frontend */
      id: string;
      /** @visibility frontend */
      title: string;
      /** GPU Feature Discovery's product, e.g. NVIDIA-A100-SXM4-40GB. @visibility frontend */
      gpuProduct: string;
      /** nvidia.com/gpu (default) or a MIG slice such as nvidia.com/mig-1g.5gb. @visibility frontend */
      gpuResource?: string;
      /** @visibility frontend */
      gpusPerReplica: number;
      /** GPU memory one replica gets, in GiB. @visibility frontend */
      gpuMemoryGiB: number;
      /** Where the profile runs in each cloud; a cloud without an entry does not offer it. */
      placement: {
        /** The EKS node group (eks.amazonaws.com/nodegroup). @visibility frontend */
        aws?: string;
        /** The GKE accelerator (cloud.google.com/gke-accelerator). @visibility frontend */
        gcp?: string;
      };
      /**
       * Price of one replica for an hour, in US dollars, by region id.
       * @visibility frontend
       */
      hourlyPriceUsd: { [region: string]: number };
    }>;
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
