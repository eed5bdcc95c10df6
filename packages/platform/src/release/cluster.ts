import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { environment } from '../spec/environments.js';
import { service } from '../spec/service.js';
import type { EnvironmentName } from './pointer.js';
import type { ClusterRollout, ClusterView } from './status.js';

const run = promisify(execFile);
/** `status` must answer quickly when no cluster is up, which is the common case on a laptop. */
const REQUEST_TIMEOUT = '3s';

const Rollout = Type.Object({
  spec: Type.Object({
    template: Type.Object({
      spec: Type.Object({ containers: Type.Array(Type.Object({ image: Type.String() }), { minItems: 1 }) }),
    }),
  }),
  status: Type.Optional(
    Type.Object({ phase: Type.Optional(Type.String()), message: Type.Optional(Type.String()) }),
  ),
});
type Rollout = Static<typeof Rollout>;
const checkRollout = Compile(Rollout);

const kubectl = async (args: readonly string[]): Promise<string> =>
  (await run('kubectl', [...args, `--request-timeout=${REQUEST_TIMEOUT}`], { encoding: 'utf8' })).stdout;

const firstLine = (error: unknown): string => {
  const { stderr, message, code } = error as { stderr?: string; message: string; code?: string };
  if (code === 'ENOENT') return 'kubectl is not installed';
  return (stderr?.trim() || message).split('\n')[0] ?? 'unknown error';
};

const readRollout = async (env: EnvironmentName): Promise<ClusterRollout> => {
  const path = `/apis/argoproj.io/v1alpha1/namespaces/${environment(env).namespace}/rollouts/${service.name}`;
  let value: unknown;
  try {
    value = JSON.parse(await kubectl(['get', '--raw', path]));
  } catch (error) {
    return { found: false, message: `no Rollout ${service.name} readable: ${firstLine(error)}` };
  }
  if (!checkRollout.Check(value)) {
    return { found: false, message: `the Rollout ${service.name} has an unexpected shape` };
  }
  const rollout: Rollout = value;
  return {
    found: true,
    image: rollout.spec.template.spec.containers[0]?.image ?? '',
    phase: rollout.status?.phase ?? 'Unknown',
    message: rollout.status?.message ?? '',
  };
};

/** Asks the cluster of kubectl's current context what each environment's Rollout runs. */
export const readCluster = async (): Promise<ClusterView> => {
  try {
    await kubectl(['get', '--raw', '/readyz']);
  } catch (error) {
    return { reachable: false, reason: firstLine(error) };
  }
  const [dev, staging, prod] = await Promise.all([
    readRollout('dev'),
    readRollout('staging'),
    readRollout('prod'),
  ]);
  return { reachable: true, rollouts: { dev, staging, prod } };
};
