import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../e2e/support/free-port.js';
import { repoRoot } from '../e2e/support/links-process.js';
import { pollUntil } from '../e2e/support/poll.js';
import { cpuMs } from './cpu-time.js';
import { runWrk, type WrkResult } from './wrk.js';

export const connections = 16;
export const warmSeconds = 2;

export interface Measured extends WrkResult {
  /**
   * The server's CPU time per request: unlike req/s, it barely moves when other work on a shared machine takes
   * cores from the server or from wrk, so it is the steadier way to compare targets.
   */
  readonly cpuUsPerRequest: number;
}

/** Warms the target up, then measures it; a run with any failed request is refused, not reported. */
export const measure = async (
  url: string,
  serverPid: number,
  seconds: number,
  headers?: Record<string, string>,
): Promise<Measured> => {
  await runWrk({ url, seconds: warmSeconds, connections, headers });
  const cpuBefore = cpuMs(serverPid);
  const result = await runWrk({ url, seconds, connections, headers });
  const cpuUsPerRequest = ((cpuMs(serverPid) - cpuBefore) * 1000) / result.requests;
  if (result.failures > 0) throw new Error(`${url}: ${result.failures} failed requests during the benchmark`);
  return { ...result, cpuUsPerRequest };
};

/**
 * Runs `bench/<script> <port> ...args` (a server answering `GET /abc` with a 302, logs to /dev/null as links's
 * are), measures it, and stops it.
 */
export const measureBenchServer = async (
  script: string,
  args: readonly string[],
  seconds: number,
): Promise<Measured> => {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'bench', script), String(port), ...args],
    {
      cwd: repoRoot,
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}/abc`;
  try {
    await pollUntil(`bench/${script} ${args.join(' ')}`, async () =>
      (await fetch(url, { redirect: 'manual' })).status === 302 ? true : undefined,
    );
    return await measure(url, server.pid ?? 0, seconds);
  } finally {
    server.kill('SIGTERM');
  }
};
