import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A memory limit like a pod's: the kubelet puts a container in a memory cgroup, and Node sizes its heap from it. */
export interface MemoryCgroup {
  /** The file a process joins the cgroup through (`LinksOptions.cgroupProcs`). */
  readonly procs: string;
  /** Removes the cgroup; its processes must have exited. */
  remove(): void;
}

const mib = 1024 * 1024;

/**
 * A memory cgroup limited to `limitMiB`, v1 or v2, or undefined where the machine lets this process make none
 * (not root, no memory controller mounted writable). The benchmark then says it measured without one.
 */
export const createMemoryCgroup = (limitMiB: number): MemoryCgroup | undefined => {
  const name = `runway-bench-${process.pid}`;
  const v1 = '/sys/fs/cgroup/memory';
  const v2 = '/sys/fs/cgroup';
  const controllers = join(v2, 'cgroup.controllers');
  const isV2 = existsSync(controllers) && readFileSync(controllers, 'utf8').includes('memory');
  const dir = join(isV2 ? v2 : v1, name);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, isV2 ? 'memory.max' : 'memory.limit_in_bytes'), String(limitMiB * mib));
  } catch {
    if (existsSync(dir)) rmdirSync(dir);
    return undefined;
  }
  return {
    procs: join(dir, 'cgroup.procs'),
    remove: () => rmdirSync(dir),
  };
};
