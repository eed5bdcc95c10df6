import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Responses outside 2xx/3xx plus socket errors: a benchmark with any is void. */
  readonly failures: number;
}

const unitMs: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

const toMs = (value: string, unit: string): number => {
  const factor = unitMs[unit];
  if (factor === undefined) throw new Error(`wrk: unknown latency unit ${unit}`);
  return Number(value) * factor;
};

const match = (output: string, pattern: RegExp, what: string): RegExpMatchArray => {
  const found = output.match(pattern);
  if (!found) throw new Error(`wrk: no ${what} in its output:\n${output}`);
  return found;
};

/** Pure: the figures of one `wrk --latency` run. */
export const parseWrk = (output: string): WrkResult => {
  const percentile = (p: string) => {
    const [, value = '', unit = ''] = match(
      output,
      new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)$`, 'm'),
      `${p}%`,
    );
    return toMs(value, unit);
  };
  const socketErrors = output.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const non2xx3xx = Number(output.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  return {
    requestsPerSecond: Number(match(output, /Requests\/sec:\s+([\d.]+)/, 'Requests/sec')[1]),
    p50Ms: percentile('50'),
    p99Ms: percentile('99'),
    requests: Number(match(output, /(\d+) requests in/, 'request count')[1]),
    failures: errors + non2xx3xx,
  };
};

export interface WrkOptions {
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One wrk thread on loopback: the other core is left to the server under test. */
export const runWrk = async ({ url, seconds, connections, headers = {} }: WrkOptions): Promise<WrkResult> => {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...headerArgs, url];
  const { stdout } = await run('wrk', args);
  return parseWrk(stdout);
};
