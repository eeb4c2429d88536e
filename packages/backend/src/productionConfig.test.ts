import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');
const productionConfigPath = path.join(repoRoot, 'app-config.production.yaml');

/** Every `${VAR}` the production config substitutes. */
function substitutedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map(m => m[1]))];
}

/** Every leaf of a parsed YAML document whose key names a secret, with its dotted path. */
function secretLeaves(node: unknown, at = ''): Array<[string, unknown]> {
  if (Array.isArray(node)) {
    return node.flatMap((item, i) => secretLeaves(item, `${at}[${i}]`));
  }
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => {
      const here = at ? `${at}.${key}` : key;
      if (value && typeof value === 'object') return secretLeaves(value, here);
      return /secret|token|password|privatekey|cadata/i.test(key)
        ? [[here, value] as [string, unknown]]
        : [];
    });
  }
  return [];
}

describe('app-config.production.yaml', () => {
  const text = fs.readFileSync(productionConfigPath, 'utf8');

  it('takes every secret from the environment, never from the file', () => {
    const leaves = secretLeaves(parse(text));
    expect(leaves.length).toBeGreaterThan(5);
    for (const [key, value] of leaves) {
      expect([key, value]).toEqual([key, expect.stringMatching(/^\$\{\w+\}$/)]);
    }
  });

  /** Runs `backstage-cli config:check --strict` over the dev and production config. */
  function configCheck(env: NodeJS.ProcessEnv) {
    return promisify(execFile)(
      'yarn',
      [
        'backstage-cli',
        'config:check',
        '--strict',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        productionConfigPath,
      ],
      { cwd: repoRoot, env },
    );
  }

  /** The config production runs, merged: app-config.yaml and this file, variables set. */
  async function printProductionConfig(): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of substitutedVariables(text)) {
      if (name.endsWith('PORT')) env[name] = '5432';
      else if (name.endsWith('URL')) env[name] = 'https://portal.example.com';
      else env[name] = `dummy-${name.toLowerCase()}`;
    }
    const { stdout } = await promisify(execFile)(
      'yarn',
      [
        'backstage-cli',
        'config:print',
        '--with-secrets',
        '--format',
        'json',
        '--config',
        path.join(repoRoot, 'app-config.yaml'),
        '--config',
        productionConfigPath,
      ],
      { cwd: repoRoot, env, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  }

  it('merged with app-config.yaml, carries no sandbox or loopback host, no development sign-in and no static token', async () => {
    const printed = await printProductionConfig();
    const config = JSON.parse(printed.slice(printed.indexOf('{')));
    expect(printed).not.toMatch(
      /sandbox|127\.0\.0\.1|localhost|\[::1\]|ghp_|omnivision-dev-scripts-token/i,
    );
    expect(config.auth.environment).toBe('production');
    expect(Object.keys(config.auth.providers.github)).toEqual(['production']);
    expect(config.backend.auth.externalAccess ?? []).toEqual([]);
    expect(config.backend.database.client).toBe('pg');
    // The sandbox's layer is where those live, and production never loads it.
    const sandbox = parse(
      fs.readFileSync(path.join(repoRoot, 'app-config.sandbox.yaml'), 'utf8'),
    );
    expect(sandbox.auth.providers.github.development).toBeDefined();
    expect(sandbox.backend.auth.externalAccess.length).toBeGreaterThan(0);
  }, 120_000);

  it('has no trace of the sandbox', () => {
    expect(text).not.toMatch(/sandbox|127\.0\.0\.1|localhost/i);
  });

  it('passes backstage-cli config:check when its variables are set', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of substitutedVariables(text)) {
      if (name.endsWith('PORT')) env[name] = '5432';
      else if (name.endsWith('URL')) env[name] = 'https://portal.example.com';
      else env[name] = `dummy-${name.toLowerCase()}`;
    }
    await expect(configCheck(env)).resolves.toBeDefined();
  }, 120_000);

  it('fails config:check when a required variable is missing', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of substitutedVariables(text)) delete env[name];
    await expect(configCheck(env)).rejects.toMatchObject({
      stderr: expect.stringContaining('Configuration does not match schema'),
    });
  }, 120_000);
});
