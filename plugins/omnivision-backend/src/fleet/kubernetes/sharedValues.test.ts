import { SharedValues } from './sharedValues';
import { summarizePod } from './capacitySummaries';

describe('SharedValues', () => {
  it('gives equal values one frozen copy, and starts over past its limit', () => {
    const shared = new SharedValues(2);
    const labels = shared.object({ app: 'vidgen' });
    expect(shared.object({ app: 'vidgen' })).toBe(labels);
    expect(Object.isFrozen(labels)).toBe(true);
    expect(shared.object({ app: 'other' })).not.toBe(labels);
    const a = shared.string(['no', 'de-1'].join('-'));
    expect(shared.string(`no-de-1`)).toBe(a);
    expect(shared.string(undefined)).toBeUndefined();
    // Past the limit the pool starts over: a new equal object is a new copy.
    shared.object({ app: 'third' });
    expect(shared.object({ app: 'vidgen' })).not.toBe(labels);
  });

  it("shares what two pods of one template repeat, and keeps each pod's own name", () => {
    const pod = (name: string) => ({
      metadata: {
        namespace: 'models',
        name,
        labels: { app: 'vidgen-xl', 'omnivision.ai/model': 'vidgen-xl' },
      },
      spec: {
        nodeName: 'gpu-node-0001',
        containers: [
          {
            image: 'registry.omnivision.ai/models/vidgen-xl@sha256:abc',
            resources: { limits: { 'nvidia.com/gpu': '1' } },
          },
        ],
      },
      status: { phase: 'Running' },
    });
    const [a, b] = [summarizePod(pod('a')), summarizePod(pod('b'))];
    expect(b.labels).toBe(a.labels);
    expect(b.gpuRequests).toBe(a.gpuRequests);
    expect(b.images).toBe(a.images);
    expect([a.name, b.name]).toEqual(['a', 'b']);
    expect(b).toEqual({ ...a, name: 'b' });
  });
});
