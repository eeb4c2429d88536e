/**
 * Argo Rollouts' `successCondition` / `failureCondition`, for the forms the sandbox evaluates:
 * comparisons (`<`, `<=`, `>`, `>=`, `==`, `!=`) of `result`, `result[i]` or `len(result)` with a
 * number, joined by `&&` or `||` (`&&` binding first). Anything else throws, and the measurement
 * is an Error, as Argo Rollouts' own evaluation error would be.
 */
export function evaluateCondition(
  condition: string,
  result: number | number[],
): boolean {
  return condition
    .split('||')
    .some(any => any.split('&&').every(all => comparison(all, result)));
}

function operand(text: string, result: number | number[]): number {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'result') {
    if (Array.isArray(result))
      throw new Error(
        'cannot compare the vector result with a number: use result[0]',
      );
    return result;
  }
  if (trimmed === 'len(result)')
    return Array.isArray(result) ? result.length : 1;
  const index = /^result\[(\d+)\]$/.exec(trimmed);
  if (index) {
    const values = Array.isArray(result) ? result : [result];
    const i = Number(index[1]);
    if (i >= values.length)
      throw new Error('reflect: slice index out of range');
    return values[i];
  }
  throw new Error(
    `unsupported operand ${JSON.stringify(
      trimmed,
    )} (the sandbox evaluates result, result[i], len(result) and numbers)`,
  );
}

function comparison(text: string, result: number | number[]): boolean {
  const match = /^(.*?)(<=|>=|==|!=|<|>)(.*)$/.exec(text);
  if (!match)
    throw new Error(`unsupported condition ${JSON.stringify(text.trim())}`);
  const a = operand(match[1], result);
  const b = operand(match[3], result);
  switch (match[2]) {
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}
