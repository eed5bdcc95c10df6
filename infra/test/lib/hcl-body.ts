import { parse } from '@cdktf/hcl2json';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';

/** Attributes of one block as @cdktf/hcl2json renders them: literals stay typed, expressions become `${...}` strings. */
const Block = Type.Record(Type.String(), Type.Unknown());
const NamedBlocks = Type.Record(Type.String(), Type.Array(Block));

const HclBodySchema = Type.Object({
  terraform: Type.Optional(Type.Array(Block)),
  provider: Type.Optional(NamedBlocks),
  variable: Type.Optional(NamedBlocks),
  locals: Type.Optional(Type.Array(Block)),
  module: Type.Optional(NamedBlocks),
  resource: Type.Optional(Type.Record(Type.String(), NamedBlocks)),
  data: Type.Optional(Type.Record(Type.String(), NamedBlocks)),
  output: Type.Optional(NamedBlocks),
});

export type HclBlock = Static<typeof Block>;
export type HclBody = Static<typeof HclBodySchema>;

export interface TerraformFile {
  /** Path relative to the Terraform root (infra/terraform), POSIX separators. */
  readonly path: string;
  readonly text: string;
  readonly body: HclBody;
}

const checker = Compile(HclBodySchema);

export class HclParseError extends Error {
  override readonly name = 'HclParseError';
}

export const parseTerraformFile = async (path: string, text: string): Promise<TerraformFile> => {
  let body: unknown;
  try {
    body = await parse(path, text);
  } catch (error) {
    throw new HclParseError(
      `${path}: not valid HCL: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!checker.Check(body)) {
    const [first] = checker.Errors(body);
    throw new HclParseError(
      `${path}: unexpected structure at ${first?.instancePath ?? '/'}: ${first?.message ?? ''}`,
    );
  }
  return { path, text, body };
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `true` for strings hcl2json produced from an expression rather than a literal. */
export const isExpression = (value: unknown): value is string =>
  typeof value === 'string' && value.includes('${');
