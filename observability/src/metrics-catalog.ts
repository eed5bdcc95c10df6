/** One row of docs/metrics.md. */
export interface CatalogEntry {
  readonly name: string;
  readonly type: string;
}

const rowPattern = /^\|\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*([a-z]+)\s*\|/;

/** Every table row whose first cell is a backticked metric name and whose second is its type. */
export const parseCatalog = (markdown: string): CatalogEntry[] =>
  markdown.split('\n').flatMap((line) => {
    const match = rowPattern.exec(line);
    return match?.[1] && match[2] ? [{ name: match[1], type: match[2] }] : [];
  });

/**
 * The series names PromQL can select for each entry: a histogram is stored as `_bucket`, `_count` and
 * `_sum` series (never under its bare name); a summary as its quantiles plus `_count` and `_sum`.
 */
export const selectableNames = (entries: readonly CatalogEntry[]): Set<string> =>
  new Set(
    entries.flatMap(({ name, type }) => {
      if (type === 'histogram') return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
      if (type === 'summary') return [name, `${name}_count`, `${name}_sum`];
      return [name];
    }),
  );
