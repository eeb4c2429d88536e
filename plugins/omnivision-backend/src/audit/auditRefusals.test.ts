import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { z } from 'zod/v3';
import { parseInput } from '../services/parseInput';
import type { AuditEventInput } from './AuditTrail';
import { auditRefusals } from './auditRefusals';
import { markAudited } from './markAudited';

const maya = 'user:default/maya-chen';

/** A router like ours, with the middleware at its end, in an app that answers errors as Backstage does. */
function appWith(
  options: {
    append?: (event: AuditEventInput) => Promise<unknown>;
    logger?: { error: jest.Mock };
  } = {},
) {
  const recorded: AuditEventInput[] = [];
  const append =
    options.append ??
    (async (event: AuditEventInput) => {
      recorded.push(event);
      return { recorded: true };
    });
  const router = Router();
  router.post('/requests/:number/reviews', async req => {
    parseInput(
      z.object({ event: z.enum(['APPROVE', 'REQUEST_CHANGES']) }).strict(),
      req.body,
      'review',
    );
    throw new NotAllowedError('you cannot review your own deployment request');
  });
  router.post('/requests/:number/merge', async () => {
    // The reviewer recorded this refusal itself.
    throw markAudited(new ConflictError('GitHub refused the merge'));
  });
  router.get('/requests/:number', async req => {
    throw new NotFoundError(`no deployment request #${req.params.number}`);
  });
  router.get('/fleet', async () => {
    throw new ServiceUnavailableError('the fleet is still starting');
  });
  router.get('/health', async () => {
    throw new NotAllowedError('not audited: no action');
  });
  router.use(
    auditRefusals({
      audit: { append: append as any },
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      actionOf: req => {
        if (req.path === '/health') return undefined;
        if (req.route?.path === '/requests/:number/reviews')
          return 'review.approved';
        return 'request.read';
      },
      logger: options.logger as any,
    }),
  );
  const app = express();
  app.use(express.json());
  app.use(router);
  app.use(
    (
      error: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status =
        (
          {
            InputError: 400,
            NotAllowedError: 403,
            NotFoundError: 404,
            ConflictError: 409,
            ServiceUnavailableError: 503,
          } as Record<string, number>
        )[error.name] ?? 500;
      res
        .status(status)
        .json({ error: { name: error.name, message: error.message } });
    },
  );
  return { app, recorded };
}

describe('auditRefusals', () => {
  it("records a refusal with the route's action, the pull request and the caller, and passes the error on", async () => {
    const { app, recorded } = appWith();
    const res = await request(app)
      .post('/requests/42/reviews')
      .set('authorization', mockCredentials.user.header(maya))
      .send({ event: 'APPROVE' });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'you cannot review your own deployment request',
    });
    expect(recorded).toEqual([
      {
        actor: maya,
        action: 'review.approved',
        outcome: 'refused',
        pullRequestNumber: 42,
        reason: 'you cannot review your own deployment request',
      },
    ]);
  });

  it('records refused input, an unknown request, and callers without credentials or with a service token', async () => {
    const { app, recorded } = appWith();
    const bad = await request(app)
      .post('/requests/42/reviews')
      .set('authorization', mockCredentials.user.header(maya))
      .send({ event: 'MERGE' });
    expect(bad.status).toBe(400);
    expect(
      (await request(app).get('/requests/0007')).status, // not a pull request number
    ).toBe(404);
    expect(
      (
        await request(app)
          .get('/requests/12')
          .set('authorization', 'Bearer not-a-token')
      ).status,
    ).toBe(404);
    await request(app)
      .get('/requests/13')
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:scaffolder'),
          targetPluginId: 'test',
        }),
      );
    expect(
      recorded.map(e => [e.actor, e.action, e.pullRequestNumber, e.reason]),
    ).toEqual([
      [
        maya,
        'review.approved',
        42,
        expect.stringMatching(/^invalid review: event /),
      ],
      [
        'unauthenticated',
        'request.read',
        undefined,
        'no deployment request #0007',
      ],
      ['unauthenticated', 'request.read', 12, 'no deployment request #12'],
      ['plugin:scaffolder', 'request.read', 13, 'no deployment request #13'],
    ]);
  });

  it('does not record what a service recorded already, what is no refusal, or a route without an action', async () => {
    const { app, recorded } = appWith();
    expect((await request(app).post('/requests/42/merge')).status).toBe(409);
    expect((await request(app).get('/fleet')).status).toBe(503);
    expect((await request(app).get('/health')).status).toBe(403);
    expect(recorded).toEqual([]);
  });

  it('answers the refusal as it was, and reports it, when the trail cannot record it', async () => {
    const logger = { error: jest.fn() };
    const { app } = appWith({
      append: async () => {
        throw new Error('database unavailable');
      },
      logger,
    });
    const res = await request(app).get('/requests/12');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('no deployment request #12');
    expect(logger.error).toHaveBeenCalledWith(
      'could not record the refusal of GET /requests/12 in the audit trail',
      expect.objectContaining({ message: 'database unavailable' }),
    );
  });
});
