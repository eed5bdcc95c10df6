import { isExpression, isRecord } from '../hcl-body.js';
import type { TerraformDir } from '../terraform-dir.js';

const LOCAL_REFERENCE = /^\$\{local\.([A-Za-z0-9_]+)\}$/;

/** `${local.x}` replaced by x's value in the same directory (one step); anything else as it is. */
export const followLocal = (dir: TerraformDir, value: unknown): unknown => {
  const name = isExpression(value) ? LOCAL_REFERENCE.exec(value)?.[1] : undefined;
  if (name === undefined) return value;
  const block = dir.files.flatMap((file) => file.body.locals ?? []).find((locals) => name in locals);
  return block?.[name] ?? value;
};

/** The blocks of a nested-block attribute (`statement { ... }` → a list of records). */
export const blocksOf = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : [value]).filter(isRecord);
