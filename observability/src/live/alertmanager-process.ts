import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { localAlertmanagerConfig } from '../local-alertmanager.js';
import { paths } from '../paths.js';
import { freePort, type RunningProcess, startProcess, waitForHttp } from './processes.js';

export interface LocalAlertmanager {
  readonly url: string;
  readonly process: RunningProcess;
}

/**
 * The real config (observability/alertmanager/alertmanager.yaml) run by the apt Alertmanager in `dir`: Slack
 * webhook URLs point at `webhookBaseUrl` + `/<receiver>`, written to files as in the cluster; HA gossip off.
 */
export const startAlertmanager = async (options: {
  dir: string;
  webhookBaseUrl: string;
  groupWait: string;
  groupInterval: string;
}): Promise<LocalAlertmanager> => {
  const receivers = ['slack-paging', 'slack-alerts'];
  const webhookUrlFiles = Object.fromEntries(
    receivers.map((receiver) => {
      const file = join(options.dir, `${receiver}-webhook-url`);
      writeFileSync(file, `${options.webhookBaseUrl}/${receiver}`);
      return [receiver, file];
    }),
  );
  const config = localAlertmanagerConfig(readFileSync(paths.alertmanagerConfig, 'utf8'), {
    templatesGlob: paths.alertmanagerTemplatesGlob,
    webhookUrlFiles,
    groupWait: options.groupWait,
    groupInterval: options.groupInterval,
  });
  const configFile = join(options.dir, 'alertmanager.yaml');
  writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running = startProcess(
    'alertmanager',
    'prometheus-alertmanager',
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
    ],
    { logFile: join(options.dir, 'alertmanager.log') },
  );
  try {
    await waitForHttp(`${url}/-/ready`, 20_000);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return { url, process: running };
};
