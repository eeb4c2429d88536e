import type {
  DeploymentPolicyContext,
  DeploymentRequest,
  GpuProfile,
  PolicyResult,
  PolicyViolation,
} from './DeploymentRequest';
import { DNS_1123_LABEL, isDnsLabel } from './kubernetesNames';
import { placementOf } from './gpuProfilePlacement';
import { PolicyRuleBook, PolicyOutcome } from './PolicyRuleBook';
import {
  IMAGE_DIGEST,
  chooseModelVersion,
  modelImageOf,
} from './modelVersions';

/** The most replicas one request may ask for in one region. */
export const MAX_REPLICAS = 64;

/** The name of a model entity ref (`resource:default/vidgen-xl` → `vidgen-xl`). @public */
export function modelNameOf(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

/** `[resource:][namespace/]name`: the only shape of model reference the portal accepts. */
const MODEL_REF = new RegExp(
  `^(?:resource:)?(?:(${DNS_1123_LABEL.source.slice(1, -1)})\\/)?([^/:]+)$`,
  'i',
);

/** GPUs a request holds at its most, across all its regions. @public */
export function requestedGpus(
  request: Pick<DeploymentRequest, 'maxReplicas' | 'regions'>,
  profile: Pick<GpuProfile, 'gpusPerReplica'>,
): number {
  return profile.gpusPerReplica * request.maxReplicas * request.regions.length;
}

function evaluate(
  request: DeploymentRequest,
  context: DeploymentPolicyContext,
): PolicyOutcome[] {
  const book = new PolicyRuleBook();
  const ref = String(request.model ?? '');
  const name = modelNameOf(ref);

  if (!MODEL_REF.test(ref)) {
    book.rule(
      'name',
      [
        `model ${JSON.stringify(
          ref,
        )} is not a reference to a model such as resource:default/vidgen-xl`,
      ],
      '',
    );
  } else {
    book.rule(
      'name',
      isDnsLabel(name)
        ? []
        : [
            `model name ${JSON.stringify(
              name,
            )} is not a DNS-1123 label (lower-case letters, digits and dashes, at most 63)`,
          ],
      `model name ${name} is a DNS-1123 label`,
    );
  }

  const model = context.model;
  if (!model) {
    book.rule(
      'model',
      [`the catalog has no model ${JSON.stringify(request.model)}`],
      '',
    );
  } else {
    book.rule(
      'model',
      model.kind.toLocaleLowerCase('en-US') !== 'resource' ||
        model.type !== 'ai-model'
        ? [
            `${request.model} is a ${model.kind} of type ${model.type}, not an ai-model`,
          ]
        : [],
      `${request.model} is an ai-model in the catalog`,
    );
  }

  const profile = context.profiles.find(p => p.id === request.gpuProfile);
  book.rule(
    'profile',
    profile
      ? []
      : [
          `unknown GPU profile ${JSON.stringify(
            request.gpuProfile,
          )}; known: ${context.profiles.map(p => p.id).join(', ')}`,
        ],
    `GPU profile ${request.gpuProfile} exists`,
  );

  const regions = Array.isArray(request.regions) ? request.regions : [];
  const regionFailures: string[] = [];
  if (regions.length === 0) regionFailures.push('choose at least one region');
  if (new Set(regions).size !== regions.length)
    regionFailures.push('a region is chosen twice');
  const known = regions.flatMap(id => {
    const region = context.regions.find(r => r.id === id);
    if (!region)
      regionFailures.push(
        `unknown region ${JSON.stringify(id)}; known: ${context.regions
          .map(r => r.id)
          .join(', ')}`,
      );
    return region ? [region] : [];
  });
  book.rule(
    'region',
    regionFailures,
    `regions ${regions.join(', ')} are known, each chosen once`,
  );

  if (!profile) {
    book.notChecked('placement', 'the GPU profile is unknown');
  } else if (known.length === 0) {
    book.notChecked('placement', 'no known region is chosen');
  } else {
    book.rule(
      'placement',
      known
        .filter(region => !placementOf(profile, region.cloud))
        .map(
          region =>
            `GPU profile ${profile.id} is not offered in ${region.id} (${region.cloud})`,
        ),
      `GPU profile ${profile.id} is offered in ${known
        .map(r => `${r.id} (${r.cloud})`)
        .join(', ')}`,
    );
  }

  if (!profile || !model) {
    book.notChecked(
      'memory',
      !profile ? 'the GPU profile is unknown' : 'the model is unknown',
    );
  } else if (model.minGpuMemoryGiB === undefined) {
    book.rule('memory', [], `${name} asks for no minimum of GPU memory`);
  } else {
    book.rule(
      'memory',
      profile.gpuMemoryGiB < model.minGpuMemoryGiB
        ? [
            `${name} needs ${model.minGpuMemoryGiB} GiB of GPU memory; ${profile.id} gives ${profile.gpuMemoryGiB} GiB`,
          ]
        : [],
      `${profile.id} gives ${profile.gpuMemoryGiB} GiB of GPU memory; ${name} needs ${model.minGpuMemoryGiB} GiB`,
    );
  }

  const { minReplicas, maxReplicas } = request;
  const replicasValid =
    Number.isInteger(minReplicas) &&
    Number.isInteger(maxReplicas) &&
    minReplicas >= 1 &&
    maxReplicas <= MAX_REPLICAS &&
    minReplicas <= maxReplicas;
  book.rule(
    'replicas',
    replicasValid
      ? []
      : [
          `replicas must be whole numbers with 1 ≤ minReplicas (${minReplicas}) ≤ maxReplicas (${maxReplicas}) ≤ ${MAX_REPLICAS}`,
        ],
    `1 ≤ minReplicas (${minReplicas}) ≤ maxReplicas (${maxReplicas}) ≤ ${MAX_REPLICAS}`,
  );

  if (!replicasValid || !profile) {
    book.notChecked(
      'quota',
      !profile ? 'the GPU profile is unknown' : 'the replicas are not valid',
    );
  } else if (context.teamGpuQuota === undefined) {
    book.rule('quota', [], `${context.team} has no GPU quota`);
  } else {
    const requested = requestedGpus({ maxReplicas, regions }, profile);
    const held = context.teamGpusHeld;
    const gpus = requested + (held?.gpus ?? 0);
    let figures = `${requested} GPUs at most (${profile.gpusPerReplica} × ${maxReplicas} replicas × ${regions.length} regions)`;
    if (held) {
      figures += ` + ${held.gpus} ${context.team} already holds (${
        held.holdings.length > 0
          ? held.holdings.map(h => `${h.gpus} for ${h.source}`).join(', ')
          : 'nothing else'
      }) = ${gpus}`;
    }
    book.rule(
      'quota',
      gpus > context.teamGpuQuota
        ? [
            `${figures} exceed the GPU quota of ${context.team} (${context.teamGpuQuota})`,
          ]
        : [],
      `${figures} within the GPU quota of ${context.team} (${context.teamGpuQuota})`,
    );
  }

  if (!model) {
    book.notChecked('version', 'the model is unknown');
    book.notChecked('image', 'the model is unknown');
  } else {
    const choice = chooseModelVersion(model, request);
    if (choice.refusal !== undefined) {
      book.rule('version', [choice.refusal], '');
    } else if (!choice.version) {
      book.rule(
        'version',
        [],
        `${name} lists no versions: its image is the one its entity names`,
      );
    } else {
      book.rule(
        'version',
        [],
        `version ${choice.version.version} of ${name}, ${
          choice.requested ? 'as requested' : 'its newest signed version'
        }, released ${choice.version.releasedAt}`,
      );
    }
    if (choice.refusal !== undefined) {
      book.notChecked('image', 'no version of the model is chosen');
    } else {
      const image = modelImageOf(model, choice.version);
      const failures: string[] = [];
      if (!image.digest || !IMAGE_DIGEST.test(image.digest)) {
        failures.push(
          `the image of ${name} must be pinned by digest (sha256:…), not ${JSON.stringify(
            image.digest ?? 'unset',
          )}`,
        );
      }
      if (
        !image.repository ||
        /[\s:@]/.test(image.repository) ||
        !/^[a-z0-9][a-z0-9._\-/]*$/.test(image.repository)
      ) {
        failures.push(
          `the image repository of ${name} is not a plain repository name: ${JSON.stringify(
            image.repository ?? 'unset',
          )}`,
        );
      }
      if (image.signed !== true) {
        failures.push(
          `the image of ${name} is not marked signed in the catalog`,
        );
      }
      book.rule(
        'image',
        failures,
        `the image ${image.repository}@${image.digest} is pinned by digest and signed`,
      );
    }
  }

  book.rule(
    'rollout',
    request.rollout !== 'canary' && request.rollout !== 'direct'
      ? [
          `rollout must be canary or direct, not ${JSON.stringify(
            request.rollout,
          )}`,
        ]
      : [],
    request.rollout === 'canary'
      ? 'canary rollout: 5% → 10 min → 50% → 30 min, aborted on bad GPU health'
      : 'direct rollout: every replica at once',
  );
  return book.outcomes;
}

/**
 * Checks a deployment request against every rule at once and returns each rule with its
 * outcome, so that a person sees all there is to fix and what was checked: the model exists and
 * is an ai-model; names are DNS-1123 labels (no path or YAML can be steered through them); the
 * profile exists, is offered in each chosen region's cloud and has the GPU memory the model
 * needs; the regions are known and chosen once; replicas make sense; the team stays within its
 * GPU quota; the version asked for is one the model lists and signed (none asked for: its newest
 * signed version); that version's image is pinned by digest and signed; the rollout is known. A
 * rule that another rule's failure leaves nothing to check with is reported `passed: false`, "not checked: …".
 * This list is what a request records, its page shows and its pull request's body carries.
 *
 * @public
 */
export function evaluateDeploymentPolicy(
  request: DeploymentRequest,
  context: DeploymentPolicyContext,
): PolicyResult[] {
  return evaluate(request, context).map(({ rule, passed, message }) => ({
    rule,
    passed,
    message,
  }));
}

/**
 * The rules a request breaks (the failed outcomes of {@link evaluateDeploymentPolicy}, without
 * those left unchecked by another failure). An empty list means the request may go ahead.
 *
 * @public
 */
export function validateDeploymentRequest(
  request: DeploymentRequest,
  context: DeploymentPolicyContext,
): PolicyViolation[] {
  return evaluate(request, context)
    .filter(o => o.checked && !o.passed)
    .map(({ rule, message }) => ({ rule, message }));
}

/**
 * One policy result as a line a person reads, the same on the request's page and in its pull
 * request's body: `✓ quota: 8 GPUs at most … within the GPU quota …`.
 *
 * @public
 */
export function describePolicyResult(result: PolicyResult): string {
  return `${result.passed ? '✓' : '✗'} ${result.rule}: ${result.message}`;
}
