import express from 'express';
import request from 'supertest';
import {
  matchesIfNoneMatch,
  sendDocument,
  serveDocument,
} from './servedDocument';

const health = (lastContact: string, roundTripMs: number) => ({
  reachable: true,
  lastContact,
  roundTripMs,
});

describe('serveDocument', () => {
  it('gives the same figures the same weak tag, whenever they were built, and keeps the first body', () => {
    const clock = ['lastContact', 'roundTripMs'];
    const first = serveDocument(
      { generatedAt: '2026-12-04T10:00:00Z', health: health('10:00', 3) },
      undefined,
      clock,
    );
    expect(first.etag).toMatch(/^W\/"[\w-]+"$/);
    const again = serveDocument(
      { generatedAt: '2026-12-04T10:05:00Z', health: health('10:05', 9) },
      first,
      clock,
    );
    expect(again).toBe(first);
    const changed = serveDocument(
      {
        generatedAt: '2026-12-04T10:06:00Z',
        health: { ...health('10:06', 9), reachable: false },
      },
      first,
      clock,
    );
    expect(changed.etag).not.toBe(first.etag);
    expect(JSON.parse(changed.body.toString()).health.reachable).toBe(false);
  });

  it('counts every other field, the clock readings too when not named', () => {
    const a = serveDocument({ health: health('10:00', 3) });
    expect(serveDocument({ health: health('10:01', 3) }, a).etag).not.toBe(
      a.etag,
    );
  });
});

describe('matchesIfNoneMatch', () => {
  it('compares weakly, in a list, and takes *', () => {
    expect(matchesIfNoneMatch('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('*', 'W/"abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'W/"abc"')).toBe(false);
  });
});

describe('sendDocument', () => {
  const document = serveDocument({ fleet: 'figures' });
  const app = express().get('/doc', (req, res) =>
    sendDocument(req, res, document),
  );

  it('answers 200 with the body, the tag and private, no-cache', async () => {
    const res = await request(app).get('/doc');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ fleet: 'figures' });
    expect(res.header.etag).toBe(document.etag);
    expect(res.header['cache-control']).toBe('private, no-cache');
    expect(res.header['content-type']).toMatch(/^application\/json/);
  });

  it('answers gzipped, compressed once, to a client that accepts it', async () => {
    const res = await request(app).get('/doc').set('accept-encoding', 'gzip');
    expect(res.header['content-encoding']).toBe('gzip');
    expect(res.header.vary).toMatch(/Accept-Encoding/);
    expect(res.body).toEqual({ fleet: 'figures' });
    expect(document.gzipped()).toBe(document.gzipped());
    const plain = await request(app)
      .get('/doc')
      .set('accept-encoding', 'identity');
    expect(plain.header['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual({ fleet: 'figures' });
  });

  it('answers 304 with no body to the current tag, 200 to another', async () => {
    const current = await request(app)
      .get('/doc')
      .set('if-none-match', document.etag);
    expect(current.status).toBe(304);
    expect(current.text).toBeFalsy();
    expect(current.header.etag).toBe(document.etag);
    const other = await request(app).get('/doc').set('if-none-match', 'W/"x"');
    expect(other.status).toBe(200);
  });
});
