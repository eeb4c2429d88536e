import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Ajv as GitHub's published schemas need it (the REST description's and the webhooks'): every
 * error reported, unknown keywords allowed, and GitHub's own formats (`int32`, `int64`,
 * `timestamp`, `repo.nwo`, ...) besides the standard ones.
 */
export function createGitHubAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const integer = (bits: number) => ({
    type: 'number' as const,
    validate: (n: number) =>
      Number.isInteger(n) && Math.abs(n) < 2 ** (bits - 1),
  });
  ajv.addFormat('int32', integer(32));
  ajv.addFormat('int64', integer(64));
  ajv.addFormat('timestamp', { type: 'number', validate: () => true });
  for (const name of ['repo.nwo', 'binary', 'ssh-key', 'ssh-key fingerprint'])
    ajv.addFormat(name, true);
  ajv.addFormat('ip/cidr', true);
  return ajv;
}
