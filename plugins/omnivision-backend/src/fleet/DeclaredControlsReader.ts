import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { DeclaredControls } from '@internal/plugin-omnivision-common';

/** Annotations of a `kubernetes-cluster` Resource that declare what no API can observe. */
export const DECLARED_CONTROL_ANNOTATIONS = {
  encryptionAtRest: 'omnivision.ai/encryption-at-rest',
  adminSignIn: 'omnivision.ai/admin-sign-in',
};

export interface DeclaredControlsReaderOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  refreshIntervalMs?: number;
}

/**
 * Reads what each cluster's catalog entity (a Resource of type `kubernetes-cluster`, named like
 * the cluster) declares of the controls no API can observe: encryption at rest and how
 * administrators sign in. Kept in memory and refreshed in the background, so status requests
 * never wait for the catalog; a cluster without an entity declares nothing (`unknown`).
 */
export class DeclaredControlsReader {
  #declared = new Map<string, DeclaredControls>();
  #timer: NodeJS.Timeout | undefined;

  static create(
    options: DeclaredControlsReaderOptions,
  ): DeclaredControlsReader {
    return new DeclaredControlsReader(options);
  }

  private constructor(
    private readonly options: DeclaredControlsReaderOptions,
  ) {}

  get(cluster: string): DeclaredControls {
    return this.#declared.get(cluster) ?? {};
  }

  start(): void {
    const refresh = async () => {
      await this.refresh();
      this.#timer = setTimeout(
        refresh,
        this.options.refreshIntervalMs ?? 60_000,
      );
      this.#timer.unref?.();
    };
    void refresh();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  async refresh(): Promise<void> {
    const { catalog, auth, logger } = this.options;
    try {
      const { items } = await catalog.getEntities(
        {
          filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' },
          fields: ['metadata.name', 'metadata.annotations'],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      const declared = new Map<string, DeclaredControls>();
      for (const entity of items) {
        const annotations = entity.metadata.annotations ?? {};
        const encryption =
          annotations[DECLARED_CONTROL_ANNOTATIONS.encryptionAtRest];
        const signIn = annotations[DECLARED_CONTROL_ANNOTATIONS.adminSignIn];
        declared.set(entity.metadata.name, {
          encryptionAtRest:
            encryption === undefined ? undefined : encryption === 'true',
          adminSignIn: signIn || undefined,
        });
      }
      this.#declared = declared;
    } catch (error) {
      // Keep what was read last; the next refresh tries again.
      logger.warn(
        `could not read the clusters' declared controls from the catalog: ${error}`,
      );
    }
  }
}
