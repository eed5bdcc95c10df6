import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const appRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedService {
  child: ChildProcess;
  port: number;
  opsPort: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  url: (path: string) => string;
}

/** Runs src/main.ts as a real process (node + tsx loader, so the PID is the server's own). */
export const spawnMain = (env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appRoot,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', OPS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
};

/** Spawns the service and waits for its "links listening" line (which carries the bound ports). */
export const startMain = async (env: Record<string, string>, timeoutMs = 30_000): Promise<SpawnedService> => {
  const spawned = spawnMain(env);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = spawned
      .stdout()
      .split('\n')
      .find((candidate) => candidate.includes('"links listening"'));
    if (line !== undefined) {
      const { port, opsPort } = JSON.parse(line) as { port: number; opsPort: number };
      return { ...spawned, port, opsPort, url: (path) => `http://127.0.0.1:${port}${path}` };
    }
    if (spawned.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  spawned.child.kill('SIGKILL');
  throw new Error(`service did not start: ${spawned.stderr()}${spawned.stdout()}`);
};
