import { parse } from 'yaml';

export interface LocalAlertmanagerOptions {
  /** Where the repository's templates are (the real config names the path inside the pod). */
  readonly templatesGlob: string;
  /** The file each receiver's Slack webhook URL is read from, by receiver name. */
  readonly webhookUrlFiles: Readonly<Record<string, string>>;
  readonly groupWait: string;
  readonly groupInterval: string;
}

interface RouteNode {
  group_wait?: string;
  group_interval?: string;
  routes?: RouteNode[];
}

interface ReceiverNode {
  name: string;
  slack_configs?: { api_url_file?: string }[];
}

const withTimings = (route: RouteNode, options: LocalAlertmanagerOptions): RouteNode => ({
  ...route,
  group_wait: options.groupWait,
  group_interval: options.groupInterval,
  ...(route.routes ? { routes: route.routes.map((child) => withTimings(child, options)) } : {}),
});

/**
 * The real Alertmanager config, runnable on this machine: the same routes, inhibitions, receivers and
 * templates, with only the paths (templates, webhook URL files) and the grouping delays replaced.
 */
export const localAlertmanagerConfig = (configText: string, options: LocalAlertmanagerOptions): object => {
  const config = parse(configText) as { route: RouteNode; receivers: ReceiverNode[]; templates?: string[] };
  return {
    ...config,
    templates: [options.templatesGlob],
    route: withTimings(config.route, options),
    receivers: config.receivers.map((receiver) => {
      if (!receiver.slack_configs) return receiver;
      const file = options.webhookUrlFiles[receiver.name];
      if (file === undefined) throw new Error(`no webhook URL file given for receiver ${receiver.name}`);
      return {
        ...receiver,
        slack_configs: receiver.slack_configs.map((slack) => ({ ...slack, api_url_file: file })),
      };
    }),
  };
};
