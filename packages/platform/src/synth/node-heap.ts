/** What a Node process holds outside its heap (code, buffers, the runtime): idle RSS is ~75 MiB with the heap. */
const outsideHeapMiB = 96;
/** What a pod keeps before its young generation gets a share (half of the rest): the runtime and a small old space. */
const beforeYoungMiB = 128;

/** A Kubernetes memory quantity in whole Mi or Gi, in MiB. */
export const mebibytes = (quantity: string): number => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (match === null) throw new Error(`memory limit ${quantity}: expected a whole number of Mi or Gi`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
};

export interface HeapSizes {
  /** `--max-semi-space-size`: the young generation is three of these. */
  readonly semiSpaceMiB: number;
  readonly oldSpaceMiB: number;
}

/**
 * The heap for a container with this memory limit. V8 sizes its young generation from the memory a process may
 * use, and under a pod's 256–512 MiB limit it picks semi-spaces so small that the service spent about 60 % more CPU
 * per API request in scavenges than on an unlimited machine (bench/README.md, "In prod's memory limit"). The young
 * generation (three semi-spaces) gets at most half of what the pod has beyond a 128 MiB base, rounded down to a
 * power of two; the old generation what then remains beside the runtime, so that the heap's ceiling fits the pod
 * and V8 collects harder near it rather than the kernel killing the pod (the flag raises V8's heap limit by exactly
 * three semi-spaces). 256Mi → 16 + 112 MiB, 512Mi → 64 + 224 MiB.
 */
export const heapSizesFor = (memoryLimit: string): HeapSizes => {
  const limitMiB = mebibytes(memoryLimit);
  const youngMiB = (limitMiB - beforeYoungMiB) / 2;
  if (youngMiB < 3)
    throw new Error(
      `memory limit ${memoryLimit}: too small for a Node service (${beforeYoungMiB}Mi at least)`,
    );
  const semiSpaceMiB = 2 ** Math.floor(Math.log2(youngMiB / 3));
  return { semiSpaceMiB, oldSpaceMiB: limitMiB - 3 * semiSpaceMiB - outsideHeapMiB };
};

/** The `NODE_OPTIONS` that give a container with this memory limit `heapSizesFor` it. */
export const nodeOptionsFor = (memoryLimit: string): string => {
  const { semiSpaceMiB, oldSpaceMiB } = heapSizesFor(memoryLimit);
  return `--max-semi-space-size=${semiSpaceMiB} --max-old-space-size=${oldSpaceMiB}`;
};
