import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RuleFile } from '../rule-file.js';
import { freePort, type RunningProcess, startProcess, waitForHttp } from './processes.js';

export interface LocalPrometheus {
  readonly url: string;
  readonly process: RunningProcess;
  /** Runs an instant query; resolves the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/**
 * The apt Prometheus in `dir`, scraping one target as `job` with static labels (what the ServiceMonitor adds
 * in Kubernetes), evaluating `rules` and sending alerts to `alertmanagerUrl`, all every `interval`.
 */
export const startPrometheus = async (options: {
  dir: string;
  job: string;
  target: string;
  labels: Readonly<Record<string, string>>;
  rules: RuleFile;
  alertmanagerUrl: string;
  interval: string;
}): Promise<LocalPrometheus> => {
  const rulesFile = join(options.dir, 'rules.yaml');
  writeFileSync(rulesFile, stringify(options.rules));
  const configFile = join(options.dir, 'prometheus.yaml');
  writeFileSync(
    configFile,
    stringify({
      global: { scrape_interval: options.interval, evaluation_interval: options.interval },
      rule_files: [rulesFile],
      alerting: {
        alertmanagers: [{ static_configs: [{ targets: [new URL(options.alertmanagerUrl).host] }] }],
      },
      scrape_configs: [
        { job_name: options.job, static_configs: [{ targets: [options.target], labels: options.labels }] },
      ],
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running = startProcess(
    'prometheus',
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
    ],
    { logFile: join(options.dir, 'prometheus.log') },
  );
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return {
    url,
    process: running,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success' || !body.data) throw new Error(`query ${expr} failed: ${body.error}`);
      return body.data.result;
    },
  };
};
