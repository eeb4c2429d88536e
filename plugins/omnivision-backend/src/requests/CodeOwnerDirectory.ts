import type { AuthService } from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { userEntityRefOfLogin } from '@internal/plugin-omnivision-common';

/** How long a person's membership is trusted before the catalog is asked again. */
const TTL_MS = 60_000;

/**
 * Who the code owners of the GitOps repository's deployment files are: the members of the
 * approving group (`omnivision.gitops.approvers`, by default `group:default/platform-team`, the
 * team CODEOWNERS names), as the catalog (synced from the organisation) has them. GitHub logins
 * map to user entities as the sign-in resolver maps them.
 */
export class CodeOwnerDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #group: string;
  readonly #known = new Map<string, { owner: boolean; at: number }>();

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    group: string;
  }): CodeOwnerDirectory {
    return new CodeOwnerDirectory(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    group: string;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#group = options.group.toLocaleLowerCase('en-US');
  }

  /** The approving group's entity ref. */
  get group(): string {
    return this.#group;
  }

  async isCodeOwner(login: string): Promise<boolean> {
    const known = this.#known.get(login);
    if (known && Date.now() - known.at < TTL_MS) return known.owner;
    const entity = await this.#catalog.getEntityByRef(
      userEntityRefOfLogin(login),
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const owner =
      !!entity &&
      isUserEntity(entity) &&
      (entity.relations ?? []).some(
        r =>
          r.type === 'memberOf' &&
          r.targetRef.toLocaleLowerCase('en-US') === this.#group,
      );
    this.#known.set(login, { owner, at: Date.now() });
    return owner;
  }

  /** Which of these logins are code owners. */
  async codeOwnersAmong(logins: Iterable<string>): Promise<Set<string>> {
    const owners = new Set<string>();
    for (const login of new Set(logins)) {
      if (await this.isCodeOwner(login)) owners.add(login);
    }
    return owners;
  }
}
