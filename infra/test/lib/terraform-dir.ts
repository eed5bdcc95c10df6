import { posix } from 'node:path';
import { type HclBlock, parseTerraformFile, type TerraformFile } from './hcl-body.js';

/** Where .tf files come from: the real tree in tests of the repository, an in-memory map in tests of a policy. */
export interface FileSource {
  /** The `.tf` files directly inside `dir` (relative to the Terraform root), with their text. */
  readonly tfFiles: (dir: string) => Promise<readonly { readonly path: string; readonly text: string }[]>;
  /** Every directory holding `.tf` files, relative to the Terraform root. */
  readonly dirs: () => Promise<readonly string[]>;
}

export interface TerraformDir {
  readonly dir: string;
  readonly files: readonly TerraformFile[];
}

export interface Located<T> {
  readonly file: string;
  readonly name: string;
  readonly args: T;
}

export interface LocatedResource extends Located<HclBlock> {
  readonly type: string;
}

export const loadDir = async (dir: string, source: FileSource): Promise<TerraformDir> => {
  const raw = await source.tfFiles(dir);
  const files = await Promise.all(raw.map((file) => parseTerraformFile(file.path, file.text)));
  return { dir, files };
};

const named = (
  file: TerraformFile,
  blocks: Record<string, readonly HclBlock[]> | undefined,
): Located<HclBlock>[] =>
  Object.entries(blocks ?? {}).flatMap(([name, list]) =>
    list.map((args) => ({ file: file.path, name, args })),
  );

export const moduleCalls = (dir: TerraformDir): Located<HclBlock>[] =>
  dir.files.flatMap((file) => named(file, file.body.module));

export const variables = (dir: TerraformDir): Located<HclBlock>[] =>
  dir.files.flatMap((file) => named(file, file.body.variable));

export const providerBlocks = (dir: TerraformDir): Located<HclBlock>[] =>
  dir.files.flatMap((file) => named(file, file.body.provider));

export const terraformBlocks = (dir: TerraformDir): { file: string; args: HclBlock }[] =>
  dir.files.flatMap((file) => (file.body.terraform ?? []).map((args) => ({ file: file.path, args })));

export const resources = (dir: TerraformDir, kind: 'resource' | 'data' = 'resource'): LocatedResource[] =>
  dir.files.flatMap((file) =>
    Object.entries(file.body[kind] ?? {}).flatMap(([type, byName]) =>
      named(file, byName).map((located) => ({ ...located, type })),
    ),
  );

export const isLocalSource = (source: unknown): source is string =>
  typeof source === 'string' && (source.startsWith('./') || source.startsWith('../'));

export const childDir = (dir: string, source: string): string => posix.normalize(posix.join(dir, source));
