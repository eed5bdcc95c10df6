/**
 * SPDX licence expressions (`MIT`, `(MIT OR Apache-2.0)`, `Apache-2.0 AND BSD-3-Clause`,
 * `GPL-2.0-only WITH Classpath-exception-2.0`) evaluated against an allowlist. Pure. OR needs one allowed
 * branch, AND needs all; `X WITH Y` must be allowed as a whole. Anything unparsable is not allowed.
 */
type Token = '(' | ')' | 'AND' | 'OR' | 'WITH' | { readonly id: string };

const tokenize = (expression: string): Token[] =>
  (expression.match(/\(|\)|[^\s()]+/g) ?? []).map((word): Token => {
    const upper = word.toUpperCase();
    if (word === '(' || word === ')') return word;
    if (upper === 'AND' || upper === 'OR' || upper === 'WITH') return upper;
    return { id: word };
  });

export const isLicenceAllowed = (expression: string, allowed: ReadonlySet<string>): boolean => {
  const tokens = tokenize(expression);
  let position = 0;
  const fail = (): never => {
    throw new SyntaxError(expression);
  };
  const atom = (): boolean => {
    const token = tokens[position++];
    if (token === '(') {
      const value = or();
      if (tokens[position++] !== ')') fail();
      return value;
    }
    if (token === undefined || typeof token === 'string') return fail();
    if (tokens[position] === 'WITH') {
      const exception = tokens[position + 1];
      if (exception === undefined || typeof exception === 'string') return fail();
      position += 2;
      return allowed.has(`${token.id} WITH ${exception.id}`);
    }
    return allowed.has(token.id);
  };
  const and = (): boolean => {
    let value = atom();
    while (tokens[position] === 'AND') {
      position += 1;
      value = atom() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[position] === 'OR') {
      position += 1;
      value = and() || value;
    }
    return value;
  };
  try {
    const value = or();
    return position === tokens.length && value;
  } catch {
    return false;
  }
};
