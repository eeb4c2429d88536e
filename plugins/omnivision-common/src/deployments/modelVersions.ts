import { z as zod } from 'zod/v3';
import type { DeploymentRequest, ModelSpec } from './DeploymentRequest';

type Z = typeof zod;

/** An image digest: `sha256:` and 64 lower-case hex digits. @public */
export const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * One released version of a model (an item of an ai-model entity's `spec.model.versions`): its
 * image by digest, whether that image is signed (cosign), and when it was released.
 *
 * @public
 */
export interface ModelVersion {
  /** e.g. `2.1.0`; unique among the model's versions. */
  version: string;
  /** The image's digest, `sha256:` and 64 hex digits. */
  imageDigest: string;
  signed: boolean;
  /** ISO 8601 date and time, e.g. `2026-10-02T09:00:00Z`. */
  releasedAt: string;
}

/**
 * A model version's fields, each built with the caller's zod: the one definition of what
 * `spec.model.versions` holds. The catalog's data is checked with {@link modelVersionsSchema}.
 *
 * @public
 */
export const modelVersionFields = {
  version: (z: Z) =>
    z
      .string()
      .regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/)
      .describe('The version, e.g. 2.1.0'),
  imageDigest: (z: Z) =>
    z.string().regex(IMAGE_DIGEST).describe("The image's digest, sha256:…"),
  signed: (z: Z) => z.boolean().describe('Whether the image is signed'),
  releasedAt: (z: Z) =>
    z.string().datetime({ offset: true }).describe('When it was released'),
};

/** `spec.model.versions`: one or more versions, each named once (unknown keys refused). @public */
export function modelVersionsSchema(
  z: Z,
): zod.ZodType<ModelVersion[], zod.ZodTypeDef, unknown> {
  return z
    .array(
      z
        .object({
          version: modelVersionFields.version(z),
          imageDigest: modelVersionFields.imageDigest(z),
          signed: modelVersionFields.signed(z),
          releasedAt: modelVersionFields.releasedAt(z),
        })
        .strict(),
    )
    .min(1)
    .superRefine((versions, ctx) => {
      const seen = new Set<string>();
      for (const { version } of versions) {
        if (seen.has(version))
          ctx.addIssue({
            code: 'custom',
            message: `version ${version} is listed twice`,
          });
        seen.add(version);
      }
    });
}

const versionsSchema = modelVersionsSchema(zod);

/**
 * Reads an entity's `spec.model.versions` with {@link modelVersionsSchema}: undefined when the
 * entity lists none, the versions when they meet the schema, and otherwise what is wrong with
 * them, one problem after another.
 *
 * @public
 */
export function readModelVersions(
  raw: unknown,
):
  | { versions?: ModelVersion[]; problems?: undefined }
  | { versions?: undefined; problems: string } {
  if (raw === undefined || raw === null) return {};
  const parsed = versionsSchema.safeParse(raw);
  if (parsed.success) return { versions: parsed.data };
  return {
    problems: parsed.error.issues
      .map(i => `versions${i.path.map(p => `[${p}]`).join('')}: ${i.message}`)
      .join('; '),
  };
}

/**
 * The version a request names, or undefined when it names none (absent or blank: the template
 * passes an unanswered optional parameter as an empty string).
 *
 * @public
 */
export function requestedVersionOf(
  request: Pick<DeploymentRequest, 'version'>,
): string | undefined {
  const version = request.version?.trim();
  return version ? version : undefined;
}

/**
 * The newest signed version of a model: the signed version released last (of two released at
 * the same time, the one listed later). Undefined when no version is signed. What a request that
 * names no version deploys.
 *
 * @public
 */
export function newestSignedVersion(
  versions: readonly ModelVersion[] | undefined,
): ModelVersion | undefined {
  let newest: ModelVersion | undefined;
  for (const candidate of versions ?? []) {
    if (candidate.signed !== true) continue;
    if (
      !newest ||
      Date.parse(candidate.releasedAt) >= Date.parse(newest.releasedAt)
    )
      newest = candidate;
  }
  return newest;
}

/** The version a request deploys, or why it is refused. @public */
export type ModelVersionChoice =
  | {
      /** The version deployed; undefined for a model that lists no versions (its own image). */
      version?: ModelVersion;
      /** Whether the request named it (otherwise: the newest signed version). */
      requested: boolean;
      refusal?: undefined;
    }
  | { version?: undefined; requested: boolean; refusal: string };

/**
 * Which of a model's versions a request deploys: the one it names, which must be listed and
 * signed, or else the newest signed version. A model that lists no versions deploys the image its
 * entity names (`spec.model.imageDigest`), and no version may be named for it.
 *
 * @public
 */
export function chooseModelVersion(
  model: Pick<ModelSpec, 'name' | 'versions'>,
  request: Pick<DeploymentRequest, 'version'>,
): ModelVersionChoice {
  const requested = requestedVersionOf(request);
  const versions = model.versions ?? [];
  const listed = versions.map(v => v.version).join(', ');
  if (requested === undefined) {
    if (versions.length === 0) return { requested: false };
    const newest = newestSignedVersion(versions);
    return newest
      ? { version: newest, requested: false }
      : {
          requested: false,
          refusal: `${model.name} has no signed version (listed: ${listed})`,
        };
  }
  const version = versions.find(v => v.version === requested);
  if (!version) {
    return {
      requested: true,
      refusal: `version ${JSON.stringify(requested)} of ${
        model.name
      } is unknown; ${
        versions.length > 0
          ? `its versions: ${listed}`
          : 'the catalog lists no versions of it'
      }`,
    };
  }
  if (version.signed !== true) {
    const signed = versions.filter(v => v.signed === true);
    return {
      requested: true,
      refusal: `version ${version.version} of ${model.name} is not signed; ${
        signed.length > 0
          ? `signed versions: ${signed.map(v => v.version).join(', ')}`
          : 'no version of it is signed'
      }`,
    };
  }
  return { version, requested: true };
}

/**
 * The image a request deploys: the chosen version's digest and signature, or the model's own
 * when it lists no versions.
 *
 * @public
 */
export function modelImageOf(
  model: ModelSpec,
  version: ModelVersion | undefined,
): { repository?: string; digest?: string; signed?: boolean } {
  return version
    ? {
        repository: model.imageRepository,
        digest: version.imageDigest,
        signed: version.signed,
      }
    : {
        repository: model.imageRepository,
        digest: model.imageDigest,
        signed: model.signed,
      };
}
