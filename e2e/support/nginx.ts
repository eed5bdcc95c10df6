import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

export interface NginxOptions {
  /** Loopback ports of the service instances behind the proxy. */
  readonly upstreamPorts: readonly number[];
  readonly port?: number;
}

export interface RunningNginx {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** error.log so far, for failure messages. */
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * A reverse proxy standing in for the gateway in front of the pods: both instances in one upstream with
 * keep-alive. A Kubernetes gateway stops routing to a pod once its readiness fails; nginx has no active health
 * checks, so the same effect comes from retries: an idempotent request (nginx never retries a POST unless told
 * to) whose instance refuses the connection, drops it, or answers 503 because it is closing, is retried on the
 * other instance. max_fails=0 keeps every instance in rotation: with two instances, marking one down after a
 * single failure would leave nothing to retry on when the other blips.
 */
export const nginxConfig = (dir: string, port: number, upstreamPorts: readonly number[]): string => `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream links {
${upstreamPorts.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://links;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 1s;
    }
  }
}
`;

const exitOf = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** Starts nginx in the foreground with its own prefix directory; resolves once it proxies `GET /livez`. */
export const startNginx = async ({ upstreamPorts, port }: NginxOptions): Promise<RunningNginx> => {
  const listenPort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'runway-nginx-'));
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, listenPort, upstreamPorts));
  const child = spawn('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = exitOf(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start nginx');
  const logFile = join(dir, 'error.log');
  const readLog = () => stderr + (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const handle: RunningNginx = {
    pid,
    port: listenPort,
    url: `http://127.0.0.1:${listenPort}`,
    errorLog: readLog,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await pollUntil(
    `nginx on port ${listenPort}`,
    async () => ((await fetch(`${handle.url}/livez`)).status === 200 ? true : undefined),
    { giveUp: () => (child.exitCode !== null ? `nginx exited: ${stderr}` : undefined) },
  );
  return handle;
};
