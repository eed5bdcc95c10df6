import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { goodPassword, uniqueEmail } from './test-app.js';

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

/**
 * On a running service: registers an account, takes a bearer token and creates the link `code` → `url`, as a
 * client would; returns the token's header for later requests.
 */
export const seedLink = async (
  service: SpawnedService,
  code: string,
  url: string,
): Promise<{ authorization: string }> => {
  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(service.url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const email = uniqueEmail(code);
  const registered = await post('/api/v1/accounts', { email, password: goodPassword });
  const session = await post('/api/v1/sessions', { email, password: goodPassword });
  if (registered.status !== 201 || session.status !== 201)
    throw new Error(`seeding ${code}: register ${registered.status}, log in ${session.status}`);
  const { token } = (await session.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  const created = await post('/api/v1/links', { url, code }, auth);
  if (created.status !== 201) throw new Error(`seeding ${code}: create ${created.status}`);
  return auth;
};
