import { readFileSync } from 'node:fs';

/** Linux reports process times in USER_HZ ticks, 100 per second on every architecture it runs on. */
const msPerTick = 10;

/** Pure: user + system CPU milliseconds from the text of `/proc/<pid>/stat`. */
export const parseCpuMs = (stat: string): number => {
  // The command name may hold spaces and parentheses, so fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) throw new Error(`unexpected /proc stat: ${stat}`);
  return (user + system) * msPerTick;
};

/** CPU milliseconds `pid` has used so far, all its threads together (Linux). */
export const cpuMs = (pid: number): number => parseCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
