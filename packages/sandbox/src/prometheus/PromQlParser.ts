/**
 * The part of PromQL the sandbox's Prometheus answers, and nothing more: vector selectors with
 * label matchers (`=`, `!=`, `=~`, `!~`); `rate(...)` and `increase(...)` of a range selector;
 * `vector(<number>)`; the aggregations `sum`, `avg`, `max`, `min` and `count`, with an optional
 * `by (...)` before or after; number literals; the arithmetic `* / + -`; and the set operator
 * `or`. Anything else (`without`, `offset`, `@`, subqueries, comparisons, other functions) is
 * refused with a {@link PromQlError}, which the API answers as Prometheus does (`bad_data`).
 */

/** A query the sandbox cannot run: Prometheus's `bad_data`. */
export class PromQlError extends Error {}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

export type Aggregation = 'sum' | 'avg' | 'max' | 'min' | 'count';
export type BinaryOp = '*' | '/' | '+' | '-' | 'or';

export type PromQlExpr =
  | { type: 'number'; value: number }
  | { type: 'selector'; matchers: LabelMatcher[] }
  | {
      type: 'range';
      fn: 'rate' | 'increase';
      matchers: LabelMatcher[];
      rangeMs: number;
    }
  | { type: 'vector'; value: number }
  | { type: 'aggregate'; op: Aggregation; by?: string[]; expr: PromQlExpr }
  | { type: 'binary'; op: BinaryOp; left: PromQlExpr; right: PromQlExpr };

type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'duration'; ms: number; text: string; at: number }
  | { kind: 'string'; value: string; text: string; at: number }
  | { kind: 'punct'; text: string; at: number };

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const AGGREGATIONS = ['sum', 'avg', 'max', 'min', 'count'];

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const rest = query.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const duration = /^(\d+(?:ms|[smhdwy]))+(?![A-Za-z0-9_:])/.exec(rest);
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(rest);
    const ident = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
    const punct = /^(!=|=~|!~|[{}()[\],=*/+-])/.exec(rest);
    if (duration) {
      const ms = [...duration[0].matchAll(/(\d+)(ms|[smhdwy])/g)].reduce(
        (sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit],
        0,
      );
      tokens.push({ kind: 'duration', ms, text: duration[0], at: i });
      i += duration[0].length;
    } else if (number) {
      tokens.push({
        kind: 'number',
        value: Number(number[0]),
        text: number[0],
        at: i,
      });
      i += number[0].length;
    } else if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], at: i });
      i += ident[0].length;
    } else if (rest[0] === '"' || rest[0] === "'") {
      const quote = rest[0];
      let value = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== quote; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) {
          j += 1;
          value += { n: '\n', t: '\t' }[rest[j]] ?? rest[j];
        } else value += rest[j];
      }
      if (j >= rest.length)
        throw new PromQlError(`unterminated quoted string at char ${i + 1}`);
      tokens.push({
        kind: 'string',
        value,
        text: rest.slice(0, j + 1),
        at: i,
      });
      i += j + 1;
    } else if (punct) {
      tokens.push({ kind: 'punct', text: punct[0], at: i });
      i += punct[0].length;
    } else {
      throw new PromQlError(
        `unexpected character ${JSON.stringify(rest[0])} at char ${
          i + 1
        } (the sandbox's Prometheus answers a subset of PromQL)`,
      );
    }
  }
  return tokens;
}

/** Parses a query of the subset; throws {@link PromQlError} for anything else. */
export function parsePromQl(query: string): PromQlExpr {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = () => tokens[pos];
  const describe = (t: Token | undefined) =>
    t ? `${JSON.stringify(t.text)} at char ${t.at + 1}` : 'end of input';
  const fail = (expected: string): never => {
    throw new PromQlError(
      `unexpected ${describe(peek())}, expected ${expected}`,
    );
  };
  const isPunct = (text: string) =>
    peek()?.kind === 'punct' && peek()!.text === text;
  const isIdent = (text: string) =>
    peek()?.kind === 'ident' && peek()!.text === text;
  const expectPunct = (text: string) => {
    if (!isPunct(text)) fail(JSON.stringify(text));
    pos += 1;
  };

  const labelList = (): string[] => {
    expectPunct('(');
    const labels: string[] = [];
    while (!isPunct(')')) {
      const t = peek();
      if (t?.kind !== 'ident') return fail('a label name');
      labels.push(t.text);
      pos += 1;
      if (!isPunct(')')) expectPunct(',');
    }
    pos += 1;
    return labels;
  };

  const matchers = (name?: string): LabelMatcher[] => {
    const list: LabelMatcher[] = name
      ? [{ label: '__name__', op: '=', value: name }]
      : [];
    if (!isPunct('{')) return list;
    pos += 1;
    while (!isPunct('}')) {
      const label = peek();
      if (label?.kind !== 'ident') return fail('a label name');
      pos += 1;
      const op = peek();
      if (op?.kind !== 'punct' || !['=', '!=', '=~', '!~'].includes(op.text))
        return fail('a label matcher (=, !=, =~, !~)');
      pos += 1;
      const value = peek();
      if (value?.kind !== 'string') return fail('a quoted label value');
      pos += 1;
      if (op.text === '=~' || op.text === '!~') {
        try {
          RegExp(`^(?:${value.value})$`);
        } catch {
          throw new PromQlError(
            `invalid regular expression ${JSON.stringify(value.value)}`,
          );
        }
      }
      list.push({
        label: label.text,
        op: op.text as MatchOp,
        value: value.value,
      });
      if (!isPunct('}')) expectPunct(',');
    }
    pos += 1;
    if (list.every(m => matchesLabel(m, '')))
      throw new PromQlError(
        'vector selector must contain at least one non-empty matcher',
      );
    return list;
  };

  // The grammar's top rule, defined below; primary expressions recurse into it.
  let expression: () => PromQlExpr = () => fail('an expression');

  const primary = (): PromQlExpr => {
    const t = peek();
    if (!t) return fail('an expression');
    if (t.kind === 'number') {
      pos += 1;
      return { type: 'number', value: t.value };
    }
    if (t.kind === 'punct' && t.text === '(') {
      pos += 1;
      const inner = expression();
      expectPunct(')');
      return inner;
    }
    if (t.kind === 'punct' && t.text === '{') {
      return { type: 'selector', matchers: matchers() };
    }
    if (t.kind !== 'ident') return fail('an expression');
    pos += 1;
    if (AGGREGATIONS.includes(t.text) && (isPunct('(') || isIdent('by'))) {
      let by: string[] | undefined;
      if (isIdent('by')) {
        pos += 1;
        by = labelList();
      }
      expectPunct('(');
      const inner = expression();
      expectPunct(')');
      if (isIdent('by')) {
        if (by) fail('one "by" clause');
        pos += 1;
        by = labelList();
      }
      if (isIdent('without'))
        throw new PromQlError('"without" is not supported by the sandbox');
      return { type: 'aggregate', op: t.text as Aggregation, by, expr: inner };
    }
    if ((t.text === 'rate' || t.text === 'increase') && isPunct('(')) {
      pos += 1;
      const name = peek();
      let selector: LabelMatcher[];
      if (name?.kind === 'ident') {
        pos += 1;
        selector = matchers(name.text);
      } else if (isPunct('{')) selector = matchers();
      else return fail('a range selector');
      expectPunct('[');
      const range = peek();
      if (range?.kind !== 'duration') return fail('a duration such as 1m');
      pos += 1;
      expectPunct(']');
      expectPunct(')');
      return {
        type: 'range',
        fn: t.text,
        matchers: selector,
        rangeMs: range.ms,
      };
    }
    if (t.text === 'vector' && isPunct('(')) {
      pos += 1;
      const n = peek();
      if (n?.kind !== 'number') return fail('a number');
      pos += 1;
      expectPunct(')');
      return { type: 'vector', value: n.value };
    }
    if (isPunct('('))
      throw new PromQlError(
        `function ${JSON.stringify(t.text)} is not supported by the sandbox`,
      );
    const selector: PromQlExpr = {
      type: 'selector',
      matchers: matchers(t.text),
    };
    if (isPunct('['))
      throw new PromQlError(
        'range selectors are supported inside rate() and increase() only',
      );
    return selector;
  };

  const binary =
    (next: () => PromQlExpr, ops: BinaryOp[]): (() => PromQlExpr) =>
    () => {
      let left = next();
      for (;;) {
        const t = peek();
        const op = t && (ops as string[]).includes(t.text) ? t.text : undefined;
        if (!op || (op === 'or' ? t!.kind !== 'ident' : t!.kind !== 'punct'))
          return left;
        pos += 1;
        left = { type: 'binary', op: op as BinaryOp, left, right: next() };
      }
    };
  const multiplicative = binary(primary, ['*', '/']);
  const additive = binary(multiplicative, ['+', '-']);
  expression = binary(additive, ['or']);

  const expr = expression();
  if (pos < tokens.length) fail('end of input');
  return expr;
}

/** Whether a label's value (empty when the series has no such label) satisfies a matcher. */
export function matchesLabel(matcher: LabelMatcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return RegExp(`^(?:${matcher.value})$`).test(value);
    default:
      return !RegExp(`^(?:${matcher.value})$`).test(value);
  }
}
