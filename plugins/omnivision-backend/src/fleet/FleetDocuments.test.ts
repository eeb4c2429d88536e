import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { FLEET_SIGNAL_CHANNEL } from '@internal/plugin-omnivision-common';
import { FleetDocuments } from './FleetDocuments';

/** A fleet of two clusters whose inputs and figures the test sets, counting what is built. */
function fakeFleet() {
  const state = {
    inputs: { a: 'a1', b: 'b1' } as Record<string, string>,
    figures: { a: 1, b: 1 } as Record<string, number>,
    builds: 0,
    listeners: new Set<(cluster: string) => void>(),
  };
  const fleet = {
    clusterNames: ['a', 'b'],
    onChange(listener: (cluster: string) => void) {
      state.listeners.add(listener);
      return () => state.listeners.delete(listener);
    },
    inputs: () =>
      Object.entries(state.inputs).map(([cluster, inputs]) => ({
        cluster,
        inputs,
        current: true,
      })),
    fleet: () => {
      state.builds += 1;
      return { generatedAt: new Date().toISOString(), figures: state.figures };
    },
    compliance: () => ({ figures: state.figures }),
    cluster: (name: string) => {
      if (!(name in state.figures)) throw new NotFoundError(`no ${name}`);
      state.builds += 1;
      return { name, figure: state.figures[name] };
    },
    warmPool: (name: string) => ({ name }),
    modelDeployments: (model: string) => ({ model, deployments: [] }),
  };
  /** A cache of `cluster` changed: its inputs and (with `figure`) its figures. */
  const change = (cluster: string, figure?: number) => {
    state.inputs[cluster] = `${state.inputs[cluster]}+`;
    if (figure !== undefined) state.figures[cluster] = figure;
    for (const listener of state.listeners) listener(cluster);
  };
  return { fleet: fleet as any, state, change };
}

const timings = { settleMs: 10, checkIntervalMs: 50, signalIntervalMs: 200 };
/** Documents of `fleet`, following its changes. */
function started(
  fleet: ReturnType<typeof fakeFleet>['fleet'],
  signals?: { publish: (...args: any[]) => Promise<void> },
) {
  const documents = FleetDocuments.create({
    fleet,
    signals,
    logger: mockServices.logger.mock(),
    timings,
  });
  documents.start();
  return documents;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('FleetDocuments', () => {
  let documents: FleetDocuments | undefined;
  afterEach(() => documents?.stop());

  it('builds a document once per change and keeps its ETag while its content is the same', async () => {
    const { fleet, state, change } = fakeFleet();
    documents = started(fleet);
    const first = documents.cluster('a');
    const builds = state.builds;
    expect(documents.cluster('a')).toBe(first);
    expect(documents.cluster('a')).toBe(first);
    expect(state.builds).toBe(builds);

    // A change of b's inputs does not rebuild a's page.
    change('b', 2);
    await sleep(30);
    expect(documents.cluster('a')).toBe(first);

    // A change of a's inputs that leaves its figures as they were: rebuilt, same tag.
    change('a');
    await sleep(30);
    const same = documents.cluster('a');
    expect(state.builds).toBeGreaterThan(builds);
    expect(same.etag).toBe(first.etag);

    change('a', 5);
    await sleep(30);
    const changed = documents.cluster('a');
    expect(changed.etag).not.toBe(first.etag);
    expect(JSON.parse(changed.body.toString())).toEqual({
      name: 'a',
      figure: 5,
    });
  });

  it('rebuilds the fleet document when the inputs change, without a request', async () => {
    const { fleet, state, change } = fakeFleet();
    documents = started(fleet);
    const before = documents.fleet();
    const builds = state.builds;
    change('a', 7);
    await sleep(30);
    expect(state.builds).toBe(builds + 1);
    const after = documents.fleet();
    expect(state.builds).toBe(builds + 1);
    expect(after.etag).not.toBe(before.etag);
  });

  it('sees inputs that change with time alone at its next look', async () => {
    const { fleet, state } = fakeFleet();
    documents = started(fleet);
    const before = documents.fleet();
    // No cache event: the cluster has not been heard from, its health went stale.
    state.inputs.b = 'b1 stale';
    state.figures.b = 0;
    await sleep(120);
    expect(documents.fleet().etag).not.toBe(before.etag);
  });

  it('signals the changed clusters at most once per interval', async () => {
    const { fleet, change } = fakeFleet();
    const publish = jest.fn(async () => undefined);
    documents = started(fleet, { publish });
    await sleep(30);
    publish.mockClear();

    change('a', 2);
    await sleep(30);
    change('b', 2);
    await sleep(30);
    change('a', 3);
    await sleep(300);
    const messages = publish.mock.calls.map((call: any[]) => call[0]);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(messages.length).toBeLessThanOrEqual(2);
    expect(messages[0]).toMatchObject({
      recipients: { type: 'broadcast' },
      channel: FLEET_SIGNAL_CHANNEL,
    });
    expect(new Set(messages.flatMap((m: any) => m.message.clusters))).toEqual(
      new Set(['a', 'b']),
    );
  });

  it('refuses an unknown cluster', () => {
    const { fleet } = fakeFleet();
    documents = started(fleet);
    expect(() => documents!.cluster('nope')).toThrow(NotFoundError);
  });
});
