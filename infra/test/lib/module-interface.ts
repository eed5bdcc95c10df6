import { isExpression, isRecord } from './hcl-body.js';

/** A Terraform type constraint, as far as a literal argument can be checked against it. */
export type TfType =
  | { readonly kind: 'string' | 'number' | 'bool' | 'any' }
  | { readonly kind: 'list' | 'set' | 'map'; readonly of: TfType }
  | { readonly kind: 'object'; readonly attributes: Readonly<Record<string, TfType>> }
  | { readonly kind: 'tuple' };

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_-]*|-?\d+(?:\.\d+)?|[(){}[\]=,:])/y;

const tokenize = (text: string): string[] => {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) tokens.push(match[1] ?? '');
  return tokens;
};

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']' };

/** Parses a type constraint such as `map(object({ name = optional(string, "x") }))`. */
export const parseType = (text: string): TfType => {
  const tokens = tokenize(text);
  let at = 0;
  const next = (): string => tokens[at++] ?? '';
  const expect = (token: string) => {
    const got = next();
    if (got !== token) throw new Error(`type "${text}": expected "${token}" at token ${at}, got "${got}"`);
  };
  /** Skips one value (a default of optional()), balanced over brackets. */
  const skipValue = () => {
    const stack: string[] = [];
    do {
      const token = next();
      if (token in CLOSING) stack.push(CLOSING[token] ?? '');
      else if (token === stack.at(-1)) stack.pop();
    } while (stack.length > 0);
  };
  const type = (): TfType => {
    const name = next();
    if (name === 'string' || name === 'number' || name === 'bool' || name === 'any') return { kind: name };
    if (name === 'list' || name === 'set' || name === 'map') {
      expect('(');
      const of = type();
      expect(')');
      return { kind: name, of };
    }
    if (name === 'optional') {
      expect('(');
      const inner = type();
      if (tokens[at] === ',') {
        next();
        skipValue();
      }
      expect(')');
      return inner;
    }
    if (name === 'tuple') {
      expect('(');
      at -= 1;
      skipValue();
      return { kind: 'tuple' };
    }
    if (name === 'object') {
      expect('(');
      expect('{');
      const attributes: Record<string, TfType> = {};
      while (tokens[at] !== '}') {
        const attribute = next();
        expect('=');
        attributes[attribute] = type();
        if (tokens[at] === ',') next();
      }
      expect('}');
      expect(')');
      return { kind: 'object', attributes };
    }
    throw new Error(`type "${text}": unknown type "${name}"`);
  };
  return type();
};

export interface TypeProblem {
  readonly path: string;
  readonly message: string;
}

const problem = (path: string, message: string): TypeProblem[] => [{ path, message }];

/** Where a literal argument disagrees with its declared type (expressions are Terraform's to check). */
export const typeProblems = (value: unknown, type: TfType, path: string): TypeProblem[] => {
  if (isExpression(value) || value === null || type.kind === 'any') return [];
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? []
        : problem(path, 'expected a string');
    case 'number':
      return typeof value === 'number' ? [] : problem(path, 'expected a number');
    case 'bool':
      return typeof value === 'boolean' ? [] : problem(path, 'expected a bool');
    case 'tuple':
      return Array.isArray(value) ? [] : problem(path, 'expected a tuple');
    case 'list':
    case 'set':
      return Array.isArray(value)
        ? value.flatMap((item, index) => typeProblems(item, type.of, `${path}[${index}]`))
        : problem(path, `expected a ${type.kind}`);
    case 'map':
      return isRecord(value)
        ? Object.entries(value).flatMap(([key, item]) => typeProblems(item, type.of, `${path}.${key}`))
        : problem(path, 'expected a map');
    case 'object':
      return isRecord(value)
        ? Object.entries(value).flatMap(([key, item]) => {
            const attribute = type.attributes[key];
            return attribute === undefined
              ? problem(`${path}.${key}`, 'not an attribute of the declared object type')
              : typeProblems(item, attribute, `${path}.${key}`);
          })
        : problem(path, 'expected an object');
  }
};
