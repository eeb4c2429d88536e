export interface Config {
  /** The OmniVision portal's own settings. */
  omnivision?: {
    /** How the fleet pages (and the deploy form's pickers) keep their figures current. */
    fleetPages?: {
      /**
       * Seconds between two fetches of an open fleet page when no signal came, for a signal lost
       * on the way: the backend signals every change of the fleet (`omnivision:fleet`). Default
       * 20, so that a region going down shows within 30 s (10 s for the backend's probe to
       * notice, 20 s for the page) even without its signal. 0: signals only, no polling. Where
       * the app has no signals, the pages poll every 10 s whatever this says.
       * @visibility frontend
       */
      fallbackPollSeconds?: number;
    };
  };
}
