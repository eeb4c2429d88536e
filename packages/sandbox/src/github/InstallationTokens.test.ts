import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  INSTALLATION_TOKEN_LIFETIME_MS,
  InstallationTokens,
} from './InstallationTokens';

describe('InstallationTokens', () => {
  let dir: string;
  let now: number;
  const open = () =>
    InstallationTokens.open(path.join(dir, 'tokens.json'), { now: () => now });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'installation-tokens-'));
    now = Date.parse('2026-03-02T10:00:00Z');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('issues random ghs_ tokens that expire in an hour', () => {
    const tokens = open();
    const first = tokens.issue(4001);
    const second = tokens.issue(4001);
    expect(first.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(second.token).not.toBe(first.token);
    expect(first.expiresAt).toEqual(new Date(now + 60 * 60 * 1000));
    expect(tokens.installationOf(first.token)).toBe(4001);
    expect(tokens.installationOf('ghs_unknown')).toBeUndefined();

    now += INSTALLATION_TOKEN_LIFETIME_MS - 1;
    expect(tokens.installationOf(first.token)).toBe(4001);
    now += 1;
    expect(tokens.installationOf(first.token)).toBeUndefined();
  });

  it('keeps tokens across a restart, by digest only, and forgets expired ones', () => {
    const { token } = open().issue(4001);
    const file = fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8');
    expect(file).not.toContain(token);
    expect(file).not.toContain(token.slice(4));
    expect(open().installationOf(token)).toBe(4001);

    now += INSTALLATION_TOKEN_LIFETIME_MS;
    open().issue(4001);
    expect(
      Object.keys(
        JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')),
      ),
    ).toHaveLength(1);
  });
});
