import type { KubeObject } from './resources';

/** Thrown for a selector the API server would reject (it answers 400 BadRequest). */
export class SelectorError extends Error {}

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/**
 * Parses a label selector as the API server does: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated, all of which must hold.
 */
export function parseLabelSelector(
  selector: string | undefined,
): (labels: Record<string, string> | undefined) => boolean {
  const requirements: Requirement[] = [];
  const text = (selector ?? '').trim();
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  const keyPattern = /^([a-z0-9A-Z]([a-z0-9A-Z._/-]*[a-z0-9A-Z])?)$/;
  for (const raw of parts) {
    const part = raw.trim();
    const setBased = part.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/);
    const equality = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/);
    const absent = part.match(/^!\s*(\S+)$/);
    if (setBased) {
      const values = setBased[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      requirements.push({
        key: setBased[1],
        op: setBased[2] as 'in' | 'notin',
        values,
      });
    } else if (equality) {
      requirements.push({
        key: equality[1],
        op: equality[2] === '!=' ? 'notin' : 'in',
        values: [equality[3]],
      });
    } else if (absent) {
      requirements.push({ key: absent[1], op: '!exists' });
    } else if (keyPattern.test(part)) {
      requirements.push({ key: part, op: 'exists' });
    } else {
      throw new SelectorError(
        `unable to parse requirement: ${JSON.stringify(part)}`,
      );
    }
  }
  for (const r of requirements) {
    if (!keyPattern.test(r.key)) {
      throw new SelectorError(`invalid label key ${JSON.stringify(r.key)}`);
    }
  }
  return labels => {
    const l = labels ?? {};
    return requirements.every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notin':
          return !has || !r.values.includes(l[r.key]);
        default:
          return false;
      }
    });
  };
}

/** Field selectors the sandbox supports, per kind, besides metadata.name and metadata.namespace. */
const SUPPORTED_FIELDS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'spec.priorityClassName',
  ],
  Node: ['spec.unschedulable'],
  Secret: ['type'],
  Namespace: ['status.phase'],
};

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const key of path.split('.')) {
    value =
      value && typeof value === 'object'
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  if (value === undefined || value === null)
    return path === 'spec.unschedulable' ? 'false' : '';
  return String(value);
}

/** Parses a field selector (`f=v`, `f==v`, `f!=v`, comma-separated) for objects of one kind. */
export function parseFieldSelector(
  selector: string | undefined,
  kind: string,
): (object: KubeObject) => boolean {
  const text = (selector ?? '').trim();
  if (!text) return () => true;
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    ...(SUPPORTED_FIELDS[kind] ?? []),
  ];
  const requirements = text.split(',').map(raw => {
    const m = raw.trim().match(/^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m)
      throw new SelectorError(
        `invalid selector: '${raw.trim()}'; can't understand '${raw.trim()}'`,
      );
    const [, field, op, value] = m;
    if (!allowed.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return object =>
    requirements.every(
      r => (fieldValue(object, r.field) === r.value) !== r.negate,
    );
}
