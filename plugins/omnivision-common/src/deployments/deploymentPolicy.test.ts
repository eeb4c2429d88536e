import {
  evaluateDeploymentPolicy,
  validateDeploymentRequest,
  modelNameOf,
} from './deploymentPolicy';
import { profilesOffered } from './gpuProfilePlacement';
import {
  contextFixture,
  requestFixture,
  versionedContextFixture,
} from '../testing/deploymentFixtures';

const rules = (violations: Array<{ rule: string }>) =>
  violations.map(v => v.rule);

describe('validateDeploymentRequest', () => {
  it('accepts a valid request to both clouds', () => {
    expect(
      validateDeploymentRequest(requestFixture(), contextFixture()),
    ).toEqual([]);
  });

  it('accepts a MIG profile in both clouds for a model that fits a slice', () => {
    const context = contextFixture();
    context.model.minGpuMemoryGiB = 5;
    expect(
      validateDeploymentRequest(
        requestFixture({ gpuProfile: 'a100-mig-1g5gb' }),
        context,
      ),
    ).toEqual([]);
  });

  it('refuses a model the catalog does not have, or that is not an ai-model', () => {
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture(),
          contextFixture({ model: undefined }),
        ),
      ),
    ).toEqual(['model']);
    const context = contextFixture();
    context.model.type = 'database';
    const [violation] = validateDeploymentRequest(requestFixture(), context);
    expect(violation.message).toBe(
      'resource:default/vidgen-xl is a Resource of type database, not an ai-model',
    );
  });

  it.each([
    ['resource:default/Vidgen_XL'],
    ['resource:default/../../etc'],
    ['resource:default/x\nkind: Secret'],
    [`resource:default/${'a'.repeat(64)}`],
    ['resource:default/-leading'],
    ['component:default/vidgen-xl'],
    ['resource:default/a/b'],
  ])('refuses a name that is not a DNS-1123 label: %j', model => {
    const violations = validateDeploymentRequest(
      requestFixture({ model }),
      contextFixture(),
    );
    expect(violations[0]).toMatchObject({ rule: 'name' });
    expect(violations[0].message).toMatch(
      /is not a DNS-1123 label|is not a reference to a model/,
    );
  });

  it('refuses an unknown profile, naming the known ones', () => {
    const [v] = validateDeploymentRequest(
      requestFixture({ gpuProfile: 'h100-8' }),
      contextFixture(),
    );
    expect(v).toEqual({
      rule: 'profile',
      message:
        'unknown GPU profile "h100-8"; known: a100-40gb-1, a10g-1, a100-mig-1g5gb',
    });
  });

  it('refuses a profile not offered in a chosen cloud (A10G on GKE)', () => {
    expect(
      validateDeploymentRequest(
        requestFixture({ gpuProfile: 'a10g-1' }),
        contextFixture(),
      ),
    ).toEqual([
      {
        rule: 'placement',
        message: 'GPU profile a10g-1 is not offered in europe-west1 (gcp)',
      },
    ]);
    expect(
      validateDeploymentRequest(
        requestFixture({ gpuProfile: 'a10g-1', regions: ['us-west-2'] }),
        contextFixture(),
      ),
    ).toEqual([]);
  });

  it('refuses unknown, repeated and missing regions', () => {
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture({ regions: [] }),
          contextFixture(),
        ),
      ),
    ).toEqual(['region']);
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture({ regions: ['us-west-2', 'us-west-2'] }),
          contextFixture(),
        ),
      ),
    ).toEqual(['region']);
    expect(
      validateDeploymentRequest(
        requestFixture({ regions: ['../us-west-2'] }),
        contextFixture(),
      )[0].message,
    ).toBe('unknown region "../us-west-2"; known: us-west-2, europe-west1');
  });

  it('refuses a profile with less GPU memory than the model needs', () => {
    expect(
      validateDeploymentRequest(
        requestFixture({ gpuProfile: 'a100-mig-1g5gb' }),
        contextFixture(),
      ),
    ).toEqual([
      {
        rule: 'memory',
        message:
          'vidgen-xl needs 16 GiB of GPU memory; a100-mig-1g5gb gives 5 GiB',
      },
    ]);
  });

  it.each([
    [0, 2],
    [3, 2],
    [1.5, 2],
    [1, 65],
  ])('refuses replicas min %p max %p', (minReplicas, maxReplicas) => {
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture({ minReplicas, maxReplicas }),
          contextFixture(),
        ),
      ),
    ).toEqual(['replicas']);
  });

  it('counts what the team already holds across the fleet: the request that crosses the quota is refused, naming the figures', () => {
    const teamGpusHeld = {
      gpus: 24,
      holdings: [
        { source: 'vidgen-lite on main in us-west-2', gpus: 16 },
        { source: 'open request #12 (vidgen-sd)', gpus: 8 },
      ],
    };
    // 8 asked + 24 held = 32: at the quota, allowed.
    expect(
      validateDeploymentRequest(
        requestFixture({ maxReplicas: 4 }),
        contextFixture({ teamGpusHeld }),
      ),
    ).toEqual([]);
    // 10 asked + 24 held = 34 > 32.
    expect(
      validateDeploymentRequest(
        requestFixture({ maxReplicas: 5 }),
        contextFixture({ teamGpusHeld }),
      ),
    ).toEqual([
      {
        rule: 'quota',
        message:
          '10 GPUs at most (1 × 5 replicas × 2 regions) + 24 group:default/data-science already holds (16 for vidgen-lite on main in us-west-2, 8 for open request #12 (vidgen-sd)) = 34 exceed the GPU quota of group:default/data-science (32)',
      },
    ]);
  });

  it("refuses a request over the team's GPU quota, counting every region", () => {
    // 1 GPU × 20 replicas × 2 regions = 40 > 32.
    expect(
      validateDeploymentRequest(
        requestFixture({ maxReplicas: 20 }),
        contextFixture(),
      ),
    ).toEqual([
      {
        rule: 'quota',
        message:
          '40 GPUs at most (1 × 20 replicas × 2 regions) exceed the GPU quota of group:default/data-science (32)',
      },
    ]);
    expect(
      validateDeploymentRequest(
        requestFixture({ maxReplicas: 16 }),
        contextFixture(),
      ),
    ).toEqual([]);
  });

  it('refuses a mutable tag, an unsigned image and a repository that smuggles a tag', () => {
    const context = contextFixture();
    context.model.imageDigest = 'latest';
    context.model.signed = false;
    context.model.imageRepository = 'registry/x:latest';
    expect(validateDeploymentRequest(requestFixture(), context)).toEqual([
      {
        rule: 'image',
        message:
          'the image of vidgen-xl must be pinned by digest (sha256:…), not "latest"',
      },
      {
        rule: 'image',
        message:
          'the image repository of vidgen-xl is not a plain repository name: "registry/x:latest"',
      },
      {
        rule: 'image',
        message: 'the image of vidgen-xl is not marked signed in the catalog',
      },
    ]);
  });

  it('reports every violation at once', () => {
    const context = contextFixture();
    context.model.signed = false;
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture({
            gpuProfile: 'nope',
            regions: ['mars-1'],
            minReplicas: 5,
            maxReplicas: 1,
            rollout: 'yolo' as any,
          }),
          context,
        ),
      ),
    ).toEqual(['profile', 'region', 'replicas', 'image', 'rollout']);
  });
});

describe('the version rule', () => {
  it('deploys the newest signed version when the request names none', () => {
    const results = evaluateDeploymentPolicy(
      requestFixture(),
      versionedContextFixture(),
    );
    expect(results.every(r => r.passed)).toBe(true);
    expect(results.find(r => r.rule === 'version')!.message).toBe(
      'version 2.1.0 of vidgen-xl, its newest signed version, released 2026-10-02T09:00:00Z',
    );
    expect(results.find(r => r.rule === 'image')!.message).toBe(
      `the image registry.omnivision.ai/models/vidgen-xl@sha256:${'b'.repeat(
        64,
      )} is pinned by digest and signed`,
    );
  });

  it('accepts an older signed version the request names', () => {
    expect(
      validateDeploymentRequest(
        requestFixture({ version: '2.0.0' }),
        versionedContextFixture(),
      ),
    ).toEqual([]);
  });

  it('refuses an unknown version, naming the model and the version', () => {
    expect(
      validateDeploymentRequest(
        requestFixture({ version: '3.0.0' }),
        versionedContextFixture(),
      ),
    ).toEqual([
      {
        rule: 'version',
        message:
          'version "3.0.0" of vidgen-xl is unknown; its versions: 2.2.0-rc.1, 2.1.0, 2.0.0',
      },
    ]);
  });

  it('refuses an unsigned version, and leaves its image unchecked', () => {
    const request = requestFixture({ version: '2.2.0-rc.1' });
    expect(
      validateDeploymentRequest(request, versionedContextFixture()),
    ).toEqual([
      {
        rule: 'version',
        message:
          'version 2.2.0-rc.1 of vidgen-xl is not signed; signed versions: 2.1.0, 2.0.0',
      },
    ]);
    expect(
      evaluateDeploymentPolicy(request, versionedContextFixture()).find(
        r => r.rule === 'image',
      ),
    ).toEqual({
      rule: 'image',
      passed: false,
      message: 'not checked: no version of the model is chosen',
    });
  });

  it('refuses a version for a model that lists none', () => {
    expect(
      rules(
        validateDeploymentRequest(
          requestFixture({ version: '1.0.0' }),
          contextFixture(),
        ),
      ),
    ).toEqual(['version']);
    // No version named: the model's own signed image, as before versions.
    expect(
      validateDeploymentRequest(requestFixture(), contextFixture()),
    ).toEqual([]);
  });
});

describe('modelNameOf', () => {
  it('reads the name of an entity ref, with or without kind and namespace', () => {
    expect(modelNameOf('resource:default/vidgen-xl')).toBe('vidgen-xl');
    expect(modelNameOf('resource:vidgen-xl')).toBe('vidgen-xl');
    expect(modelNameOf('vidgen-xl')).toBe('vidgen-xl');
  });
});

describe('evaluateDeploymentPolicy', () => {
  it('returns every rule with its outcome, rules the request passes included', () => {
    const results = evaluateDeploymentPolicy(
      requestFixture(),
      contextFixture(),
    );
    expect(new Set(results.map(r => r.rule))).toEqual(
      new Set([
        'name',
        'model',
        'profile',
        'region',
        'placement',
        'memory',
        'replicas',
        'quota',
        'version',
        'image',
        'rollout',
      ]),
    );
    expect(results.every(r => r.passed)).toBe(true);
    expect(results.find(r => r.rule === 'rollout')!.message).toMatch(/canary/);
    expect(results.find(r => r.rule === 'quota')!.message).toMatch(
      /^8 GPUs at most \(1 × 4 replicas × 2 regions\) within the GPU quota/,
    );
  });

  it('reports a region chosen twice as a failed rule, and what it could not check', () => {
    const results = evaluateDeploymentPolicy(
      requestFixture({
        regions: ['us-west-2', 'us-west-2'],
        gpuProfile: 'no-such-profile',
      }),
      contextFixture(),
    );
    expect(results).toEqual(
      expect.arrayContaining([
        { rule: 'region', passed: false, message: 'a region is chosen twice' },
        {
          rule: 'placement',
          passed: false,
          message: 'not checked: the GPU profile is unknown',
        },
      ]),
    );
    // The violations are the failures that were checked: the unchecked rules are not repeated.
    expect(
      validateDeploymentRequest(
        requestFixture({
          regions: ['us-west-2', 'us-west-2'],
          gpuProfile: 'no-such-profile',
        }),
        contextFixture(),
      ).map(v => v.rule),
    ).toEqual(['profile', 'region']);
  });
});

describe('the placement rule', () => {
  it('offers a profile only where each chosen region’s cloud names its placement', () => {
    const { profiles, regions } = contextFixture();
    expect(
      profilesOffered(profiles, regions, ['us-west-2', 'europe-west1']).map(
        p => p.id,
      ),
    ).toEqual(['a100-40gb-1', 'a100-mig-1g5gb']);
    expect(
      profilesOffered(profiles, regions, ['us-west-2']).map(p => p.id),
    ).toEqual(['a100-40gb-1', 'a10g-1', 'a100-mig-1g5gb']);
    // The policy asks the same rule.
    expect(
      validateDeploymentRequest(
        requestFixture({ gpuProfile: 'a10g-1' }),
        contextFixture(),
      ),
    ).toEqual([
      {
        rule: 'placement',
        message: 'GPU profile a10g-1 is not offered in europe-west1 (gcp)',
      },
    ]);
  });
});
