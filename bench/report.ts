/** Pure formatting of benchmark figures as an aligned plain-text table. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
};

export const fixed = (value: number, digits = 0): string => value.toFixed(digits);

export const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)} %`;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The machine's 1-minute load average and core count: figures taken on a busy machine say so. */
export const machineLoad = (load: readonly number[], cores: number): string =>
  `load average ${(load[0] ?? 0).toFixed(1)} on ${cores} cores`;
