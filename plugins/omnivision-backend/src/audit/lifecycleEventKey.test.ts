import { lifecycleEventKey, MAX_AUDIT_KEY_LENGTH } from './lifecycleEventKey';

describe('lifecycleEventKey', () => {
  it('is the same text for the same event, whoever builds it', () => {
    expect(
      lifecycleEventKey({
        pullRequestNumber: 7,
        action: 'deployment.canary',
        region: 'us-west-2',
        revision: '4f2c9e1d',
        detail: 'step 2',
      }),
    ).toBe('lifecycle:7|deployment.canary|us-west-2|4f2c9e1d|step%202');
    expect(
      lifecycleEventKey({
        pullRequestNumber: 7,
        action: 'pull-request.closed',
      }),
    ).toBe('lifecycle:7|pull-request.closed|||');
  });

  it('tells apart events that differ in any part, separators in values included', () => {
    const keys = [
      { region: 'us-west-2', revision: 'a' },
      { region: 'us-west-2', revision: 'b' },
      { region: 'europe-west1', revision: 'a' },
      { region: 'us-west-2|a', revision: undefined },
      { region: 'us-west-2', revision: 'a', detail: 'step 1' },
    ].map(parts =>
      lifecycleEventKey({
        pullRequestNumber: 7,
        action: 'deployment.synced',
        ...parts,
      }),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('hashes a key longer than the trail stores, stably', () => {
    const event = {
      pullRequestNumber: 7,
      action: 'deployment.failed',
      region: 'us-west-2',
      detail: 'x'.repeat(400),
    } as const;
    const key = lifecycleEventKey(event);
    expect(key).toMatch(/^lifecycle:sha256:[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(MAX_AUDIT_KEY_LENGTH);
    expect(lifecycleEventKey({ ...event })).toBe(key);
  });

  it('refuses what is not a pull request number', () => {
    expect(() =>
      lifecycleEventKey({ pullRequestNumber: NaN, action: 'approval.status' }),
    ).toThrow(TypeError);
  });
});
