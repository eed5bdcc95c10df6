/** What a Node process takes before its young generation: code, old space and buffers (idle RSS is ~75 MiB). */
const baseMiB = 128;

/** A Kubernetes memory quantity in whole Mi or Gi, in MiB. */
export const mebibytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (match === null) throw new Error(`memory limit ${quantity}: expected a whole number of Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

/**
 * The `NODE_OPTIONS` for a container with this memory limit. V8 sizes its young generation from the memory a
 * process may use, and under a pod's 256–512 MiB limit it picks semi-spaces so small that the service spent about
 * 60 % more CPU per API request in scavenges than on an unlimited machine (bench/README.md, "In prod's memory
 * limit"). The young generation (three semi-spaces) gets at most half of what the pod has beyond a 128 MiB base,
 * rounded down to a power of two: 256Mi → 16 MiB semi-spaces, 512Mi → 64 MiB.
 */
export const nodeOptionsFor = (memoryLimit: string): string => {
  const youngMiB = (mebibytes(memoryLimit) - baseMiB) / 2;
  if (youngMiB < 3)
    throw new Error(`memory limit ${memoryLimit}: too small for a Node service (${baseMiB}Mi base)`);
  const semiSpaceMiB = 2 ** Math.floor(Math.log2(youngMiB / 3));
  return `--max-semi-space-size=${semiSpaceMiB}`;
};
