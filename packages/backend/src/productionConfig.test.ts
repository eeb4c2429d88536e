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

  it('leaves no development token in force: the static external access of app-config.yaml is replaced', () => {
    const devText = fs.readFileSync(
      path.join(repoRoot, 'app-config.yaml'),
      'utf8',
    );
    expect(parse(devText).backend.auth.externalAccess.length).toBeGreaterThan(
      0,
    );
    // Config arrays are replaced, not merged, by a later file.
    expect(parse(text).backend.auth.externalAccess).toEqual([]);
  });

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
