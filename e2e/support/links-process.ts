import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

const run = promisify(execFile);
export const repoRoot = join(import.meta.dirname, '..', '..');
const linksDir = join(repoRoot, 'apps/links');

/** `tsx` runs the TypeScript sources (no build step); `dist` runs the compiled output as the image does. */
export type Runtime = 'tsx' | 'dist';

const nodeArgs = (runtime: Runtime, script: 'main' | 'cli'): string[] =>
  runtime === 'tsx'
    ? ['--import', 'tsx', join(linksDir, `src/${script}.ts`)]
    : [join(linksDir, `dist/${script}.js`)];

export interface LinksOptions {
  readonly databaseUrl: string;
  readonly runtime?: Runtime;
  readonly port?: number;
  readonly opsPort?: number;
  /** Extra or overriding environment (the contract's variables, docs/service-contract.md). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  /** How often /readyz is asked during start-up (default 50 ms); the start-up benchmark asks more often. */
  readonly readyPollMs?: number;
  /** `discard` sends the logs to /dev/null, so a benchmark does not measure the harness reading them. */
  readonly output?: 'capture' | 'discard';
  /** A cgroup's `cgroup.procs` to start the service in (a pod's memory limit: bench/memory-cgroup.ts). */
  readonly cgroupProcs?: string;
}

export interface LinksProcess {
  readonly pid: number;
  readonly port: number;
  readonly opsPort: number;
  readonly baseUrl: string;
  readonly opsUrl: string;
  /** Milliseconds from spawning the process to the first 200 from /readyz. */
  readonly readyAfterMs: number;
  /** The process's stdout and stderr so far (the last 256 KiB), for failure messages. */
  output(): string;
  /** Sends `signal` and waits for the exit; resolves the exit code. Fails (after SIGKILL) past `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

const outputLimit = 256 * 1024;

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/** The production-like environment the tests run the service with; secrets are made up per run. */
const baseEnv = (options: LinksOptions, port: number, opsPort: number): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  OPS_PORT: String(opsPort),
  DATABASE_URL: options.databaseUrl,
  SESSION_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'warn',
  SHUTDOWN_GRACE_MS: '1000',
  SHUTDOWN_TIMEOUT_MS: '10000',
  ...options.env,
});

/** Applies the migrations to `databaseUrl` with `links migrate`; throws with its output if it fails. */
export const migrateDatabase = async (databaseUrl: string, runtime: Runtime = 'tsx'): Promise<void> => {
  await run(process.execPath, nodeArgs(runtime, 'cli').concat('migrate'), {
    cwd: repoRoot,
    // The CLI validates the whole service configuration, so production mode wants a session secret here too.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
    },
  });
};

/** Starts one service process on free loopback ports and resolves once `/readyz` answers 200. */
export const startLinks = async (options: LinksOptions): Promise<LinksProcess> => {
  const port = options.port ?? (await freePort());
  const opsPort = options.opsPort ?? (await freePort());
  const spawnedAt = performance.now();
  const args = nodeArgs(options.runtime ?? 'tsx', 'main');
  // The shell joins the cgroup, then becomes node (same pid): the heap is sized under the limit from the start.
  const [command, commandArgs] =
    options.cgroupProcs === undefined
      ? [process.execPath, args]
      : ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', options.cgroupProcs, process.execPath, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: repoRoot,
    env: baseEnv(options, port, opsPort),
    stdio: options.output === 'discard' ? 'ignore' : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-outputLimit);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = exitOf(child);
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start links: ${output}`);

  const handle = {
    pid,
    port,
    opsPort,
    baseUrl: `http://127.0.0.1:${port}`,
    opsUrl: `http://127.0.0.1:${opsPort}`,
    output: () => output,
    stop: async (signal = 'SIGTERM', timeoutMs = 30_000) => {
      if (!hasExited()) process.kill(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') {
        process.kill(pid, 'SIGKILL');
        throw new Error(`links (pid ${pid}) did not exit within ${timeoutMs} ms of ${signal}:\n${output}`);
      }
      return result;
    },
  } satisfies Omit<LinksProcess, 'readyAfterMs'>;

  try {
    await pollUntil(
      `links on port ${port} to become ready`,
      async () => ((await fetch(`${handle.baseUrl}/readyz`)).status === 200 ? true : undefined),
      {
        timeoutMs: options.readyTimeoutMs ?? 30_000,
        intervalMs: options.readyPollMs ?? 50,
        giveUp: () => (hasExited() ? `links exited (${child.exitCode ?? child.signalCode})` : undefined),
      },
    );
  } catch (error) {
    if (!hasExited()) await handle.stop('SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- links output ---\n${output}`,
    );
  }
  return { ...handle, readyAfterMs: performance.now() - spawnedAt };
};
