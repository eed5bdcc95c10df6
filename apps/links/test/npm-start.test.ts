import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase, type TestDatabase } from './helpers/postgres.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every process below `pid`, from the process table. */
const descendantsOf = (pid: number): number[] => {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portAccepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Issue 16, item 5: `kill -TERM` of the process `npm start` runs as stops the server. npm runs the script under
 * `sh -c` and forwards the signal to its child; unless the script execs node, that child is the shell, which
 * dies and leaves node serving the port.
 */
describe('npm start', () => {
  let database: TestDatabase;
  let leftovers: number[] = [];

  // PostgreSQL rather than the embedded default: PGlite's cold start is tens of seconds on a loaded machine.
  beforeAll(async () => {
    database = await createMigratedTestDatabase('npmstart');
  });

  afterAll(async () => {
    for (const pid of leftovers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await database?.drop();
  });

  it('passes SIGTERM through to the server: the port frees and no process is left behind', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        OPS_PORT: '0',
        DATABASE_URL: database.url,
        SHUTDOWN_GRACE_MS: '0',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    npm.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45_000;
    let port: number | undefined;
    while (port === undefined && Date.now() < deadline && npm.exitCode === null) {
      const line = stdout.split('\n').find((candidate) => candidate.includes('"links listening"'));
      if (line !== undefined) port = (JSON.parse(line) as { port: number }).port;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(port, stdout).toBeDefined();
    leftovers = descendantsOf(npm.pid ?? 0);
    expect(leftovers.length).toBeGreaterThan(0);
    expect(await portAccepts(port ?? 0)).toBe(true);

    npm.kill('SIGTERM');
    await exited;
    const settled = Date.now() + 10_000;
    while (leftovers.some(isAlive) && Date.now() < settled)
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect(leftovers.filter(isAlive), stdout).toEqual([]);
    expect(await portAccepts(port ?? 0)).toBe(false);
    expect(stdout).toContain('shutdown: complete');
  }, 90_000);
});
