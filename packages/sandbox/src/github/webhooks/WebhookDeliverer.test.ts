import type { Octokit } from '@octokit/rest';
import {
  SandboxGitHub,
  startSandboxGitHub,
} from '../__testUtils__/sandboxGitHub';
import { WebhookReceiver } from '../__testUtils__/WebhookReceiver';
import { loadWebhooksMethods } from './webhookSignature';
import type { DeliveryDetail, DeliverySummary } from './DeliveryLog';

const SECRET = 'deliverer-test-secret';

describe("delivering the GitHub App's webhooks", () => {
  let t: SandboxGitHub['t'];
  let repo: { owner: string; repo: string };
  let portal: Octokit;
  let receiver: WebhookReceiver;
  let sha: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    const github = await startSandboxGitHub({
      webhooks: { retryMs: 25, timeoutMs: 300 },
    });
    ({ t, repo } = github);
    portal = github.as('omnivision-portal[bot]');
    sha = (await portal.git.getRef({ ...repo, ref: 'heads/main' })).data.object
      .sha;
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  /** A `status` event, as the portal posts a commit status. */
  const postStatus = (description: string) =>
    portal.repos.createCommitStatus({
      ...repo,
      sha,
      state: 'pending',
      context: 'sandbox/test',
      description,
    });
  const deliveries = async (): Promise<DeliverySummary[]> =>
    (await t.admin('GET', '/webhooks/deliveries')).items;
  const drain = () => t.admin('POST', '/webhooks/drain');
  const adminCall = (method: string, path: string, body?: unknown) =>
    fetch(`${t.url}/sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('has no URL at first: nothing is delivered, nor logged', async () => {
    expect(await t.admin('GET', '/webhooks/config')).toEqual({
      url: null,
      secretConfigured: false,
      held: false,
    });
    await postStatus('no webhook');
    await drain();
    expect(await deliveries()).toEqual([]);
  });

  it('takes a URL and a secret, refuses bad input unchanged, and never shows the secret', async () => {
    for (const bad of [
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: 7 },
      { secret: 'no url' },
      { url: receiver.url, secret: 42 },
      ['not', 'an', 'object'],
    ]) {
      const res = await adminCall('PUT', '/webhooks/config', bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
    expect((await t.admin('GET', '/webhooks/config')).url).toBeNull();

    const config = await t.admin('PUT', '/webhooks/config', {
      url: receiver.url,
      secret: SECRET,
    });
    expect(config).toEqual({
      url: receiver.url,
      secretConfigured: true,
      held: false,
    });
    // Without a secret, the one configured stays.
    await t.admin('PUT', '/webhooks/config', { url: receiver.url });
    expect(
      JSON.stringify(await t.admin('GET', '/webhooks/config')),
    ).not.toContain(SECRET);
    expect((await t.admin('GET', '/webhooks/config')).secretConfigured).toBe(
      true,
    );

    await postStatus('signed');
    await drain();
    const [delivery] = receiver.received;
    expect(
      await loadWebhooksMethods().verify(
        SECRET,
        delivery.body,
        String(delivery.headers['x-hub-signature-256']),
      ),
    ).toBe(true);
    expect(delivery.payload.description).toBe('signed');
  });

  it('shows a delivery in full: the headers sent (no secret), the payload, the answer', async () => {
    const [latest] = await deliveries();
    expect(latest).toMatchObject({
      event: 'status',
      action: null,
      status: 'delivered',
      statusCode: 200,
      attempts: 1,
      redelivery: false,
      deliveredAt: expect.any(String),
      durationMs: expect.any(Number),
    });
    const detail: DeliveryDetail = await t.admin(
      'GET',
      `/webhooks/deliveries/${latest.id}`,
    );
    expect(detail).toMatchObject({
      ...latest,
      url: receiver.url,
      response: { statusCode: 200, body: 'ok' },
    });
    expect(detail.request.headers).toMatchObject({
      'X-GitHub-Event': 'status',
      'X-GitHub-Delivery': latest.guid,
      'X-Hub-Signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(detail.request.payload).toEqual(receiver.received.at(-1)!.payload);
    expect(JSON.stringify(detail)).not.toContain(SECRET);
    expect((await adminCall('GET', '/webhooks/deliveries/999999')).status).toBe(
      404,
    );
  });

  it('tries a failed delivery again after a wait that doubles', async () => {
    const before = receiver.received.length;
    receiver.answerNext(500, 503);
    await postStatus('retried');
    await drain();
    const [latest] = await deliveries();
    expect(latest).toMatchObject({
      status: 'delivered',
      attempts: 3,
      statusCode: 200,
    });
    const attempts = receiver.received.slice(before);
    expect(attempts.map(a => a.headers['x-github-delivery'])).toEqual([
      latest.guid,
      latest.guid,
      latest.guid,
    ]);
    expect(
      attempts[1].receivedAt - attempts[0].receivedAt,
    ).toBeGreaterThanOrEqual(24);
    expect(
      attempts[2].receivedAt - attempts[1].receivedAt,
    ).toBeGreaterThanOrEqual(49);

    receiver.answerNext(500, 500, 500, 500);
    await postStatus('given up');
    await drain();
    const [failed] = await deliveries();
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 4,
      statusCode: 500,
    });
    const detail = await t.admin('GET', `/webhooks/deliveries/${failed.id}`);
    expect(detail.response).toEqual({
      statusCode: 500,
      body: 'receiver failed',
    });
  }, 30_000);

  it('gives up on a receiver that does not answer in time, never holding up the REST call', async () => {
    receiver.answerNext('hang', 'hang', 'hang', 'hang');
    await postStatus('hanging');
    // The queue is busy with the hanging receiver; the API answers at once all the same.
    const started = performance.now();
    await postStatus('after the hang');
    expect(performance.now() - started).toBeLessThan(1000);
    await drain();
    const [after, hung] = await deliveries();
    expect(hung).toMatchObject({ status: 'failed', attempts: 4 });
    expect(hung.statusCode).toBeUndefined();
    expect(
      (await t.admin('GET', `/webhooks/deliveries/${hung.id}`)).error,
    ).toBe('timed out after 300 ms');
    // Delivered after the one before it, in the order the events happened.
    expect(after).toMatchObject({ status: 'delivered' });
    expect(receiver.received.at(-1)!.payload.description).toBe(
      'after the hang',
    );
  }, 30_000);

  it('delivers in the order events happened', async () => {
    const before = receiver.received.length;
    receiver.answerNext(500);
    for (const n of [1, 2, 3, 4, 5]) await postStatus(`in order ${n}`);
    await drain();
    const descriptions = receiver.received
      .slice(before)
      .map(d => d.payload.description);
    expect(descriptions).toEqual([
      'in order 1',
      'in order 1',
      'in order 2',
      'in order 3',
      'in order 4',
      'in order 5',
    ]);
  });

  it('holds events during an outage, and sends them only when redelivered', async () => {
    const before = receiver.received.length;
    expect((await t.admin('POST', '/webhooks/hold')).held).toBe(true);
    expect((await t.admin('GET', '/webhooks/config')).held).toBe(true);
    await postStatus('during the outage');
    await drain();
    const [held] = await deliveries();
    expect(held).toMatchObject({ status: 'held', attempts: 0 });
    expect((await t.admin('DELETE', '/webhooks/hold')).held).toBe(false);
    await drain();
    expect(receiver.received.length).toBe(before);

    const redelivery = await adminCall(
      'POST',
      `/webhooks/deliveries/${held.id}/redeliver`,
    );
    expect(redelivery.status).toBe(202);
    expect(await redelivery.json()).toMatchObject({
      guid: held.guid,
      redelivery: true,
    });
    await drain();
    const [redelivered, original] = await deliveries();
    expect(redelivered).toMatchObject({
      guid: held.guid,
      redelivery: true,
      status: 'delivered',
    });
    expect(original).toMatchObject({ id: held.id, status: 'held' });
    const [sent] = receiver.received.slice(before);
    expect(sent.headers['x-github-delivery']).toBe(held.guid);
    expect(sent.payload.description).toBe('during the outage');
    expect(
      (await adminCall('POST', '/webhooks/deliveries/999999/redeliver')).status,
    ).toBe(404);
  });

  it('fails a delivery nobody listens for, and sends unsigned without a secret', async () => {
    const closed = await WebhookReceiver.start();
    const nowhere = closed.url;
    await closed.stop();
    await t.admin('PUT', '/webhooks/config', { url: nowhere });
    await postStatus('nobody listens');
    await drain();
    const [failed] = await deliveries();
    expect(failed).toMatchObject({ status: 'failed', attempts: 4 });
    expect(
      (await t.admin('GET', `/webhooks/deliveries/${failed.id}`)).error,
    ).toEqual(expect.any(String));

    await t.admin('PUT', '/webhooks/config', { url: receiver.url, secret: '' });
    expect((await t.admin('GET', '/webhooks/config')).secretConfigured).toBe(
      false,
    );
    await postStatus('unsigned');
    await drain();
    const unsigned = receiver.received.at(-1)!;
    expect(unsigned.payload.description).toBe('unsigned');
    expect(unsigned.headers['x-hub-signature-256']).toBeUndefined();
    expect(unsigned.headers['x-hub-signature']).toBeUndefined();
  });
});
