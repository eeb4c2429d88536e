export interface Config {
  /** The OmniVision portal's own settings (shared by its frontend and backend). */
  omnivision?: {
    /**
     * The fleet's regions, one cluster each. The cluster's connection (URL, service-account
     * token, CA) comes from the `kubernetes.clusterLocatorMethods` entry of the same name.
     */
    regions?: Array<{
      /**
       * The cloud region, e.g. `us-west-2`.
       * @visibility frontend
       */
      id: string;
      /**
       * The name of the cluster in `kubernetes.clusterLocatorMethods`.
       * @visibility frontend
       */
      cluster: string;
      /** @visibility frontend */
      cloud: 'aws' | 'gcp';
      /**
       * The cluster's folder in the GitOps repository, e.g. `infrastructure/cluster-aws`.
       * @visibility frontend
       */
      gitopsFolder?: string;
    }>;
    /** GPU profiles data scientists deploy models on. */
    gpuProfiles?: Array<{
      /** @visibility frontend */
      id: string;
      /** @visibility frontend */
      title: string;
      /**
       * GPU Feature Discovery's product, e.g. NVIDIA-A100-SXM4-40GB.
       * @visibility frontend
       */
      gpuProduct: string;
      /**
       * nvidia.com/gpu (default) or a MIG slice such as nvidia.com/mig-1g.5gb.
       * @visibility frontend
       */
      gpuResource?: string;
      /** @visibility frontend */
      gpusPerReplica: number;
      /**
       * GPU memory one replica gets, in GiB.
       * @visibility frontend
       */
      gpuMemoryGiB: number;
      /** Where the profile runs in each cloud; a cloud without an entry does not offer it. */
      placement: {
        /**
         * The EKS node group (eks.amazonaws.com/nodegroup).
         * @visibility frontend
         */
        aws?: string;
        /**
         * The GKE accelerator (cloud.google.com/gke-accelerator).
         * @visibility frontend
         */
        gcp?: string;
      };
      /**
       * Price of one replica for an hour, in US dollars, by region id.
       * @visibility frontend
       */
      hourlyPriceUsd: {
        /** @visibility frontend */
        [region: string]: number;
      };
    }>;
  };
}
