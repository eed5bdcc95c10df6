import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command as Program } from 'commander';
import { RunwayError } from '../errors.js';
import { parsePointer } from '../release/parse.js';
import { ENVIRONMENT_NAMES, type EnvironmentName, type ReleasePointer } from '../release/pointer.js';
import { readApplications } from './deploy-layout.js';
import { runCommand } from './exec.js';
import { formatPlan } from './format-plan.js';
import { planDown } from './plan-down.js';
import { planUp } from './plan-up.js';
import { checkPrerequisites, formatProblems } from './prerequisites.js';
import { probeMachine } from './probe-machine.js';
import { progressFor } from './progress.js';
import { CONTAINER_INSPECT_FORMAT, readContainer } from './read-probes.js';
import { runPlan } from './run-plan.js';
import {
  ARGOCD_NAMESPACE,
  CLUSTER_NAME,
  GIT_SERVER_CONTAINER,
  KUBE_CONTEXT,
  REGISTRY_CONTAINER,
  REGISTRY_HOSTS_TOML_PATH,
  RELEASES_DIR,
  TIMEOUTS,
} from './settings.js';
import { takeSnapshot } from './snapshot.js';
import { formatStatus, parseApplicationList, statusRows } from './status.js';
import { formatSummary } from './summary.js';

const repositoryRoot = async (): Promise<string> => {
  const result = await runCommand(
    { argv: ['git', 'rev-parse', '--show-toplevel'], timeoutSeconds: TIMEOUTS.probe },
    process.cwd(),
  );
  return result.code === 0 ? result.stdout.trim() : process.cwd();
};

/** Outside the repository, so the working tree stays clean: $XDG_STATE_HOME/runway or ~/.local/state/runway. */
const defaultStateDir = (): string =>
  join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'runway');

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const ask = (root: string, ...argv: string[]) => runCommand({ argv, timeoutSeconds: TIMEOUTS.probe }, root);

interface UpFlags {
  readonly dryRun?: boolean;
  readonly repo?: string;
  readonly revision?: string;
}

const up = async (flags: UpFlags): Promise<void> => {
  const root = await repositoryRoot();
  const probes = await probeMachine(root, runCommand);
  const problems = checkPrerequisites(probes, { repoGiven: flags.repo !== undefined });
  if (problems.length > 0 && !flags.dryRun)
    throw new RunwayError('PREREQUISITES_MISSING', formatProblems(problems));
  const revision = flags.revision ?? (flags.repo ? 'main' : (probes.git.headSha ?? 'HEAD'));
  const plan = planUp({
    probes,
    applications: await readApplications(root),
    ...(flags.repo ? { repo: flags.repo } : {}),
    revision,
    imageTag: (probes.git.headSha ?? 'local').slice(0, 12),
    stateDir: defaultStateDir(),
    registryHostsToml: await readFile(join(root, REGISTRY_HOSTS_TOML_PATH), 'utf8'),
    ...(process.env.RUNWAY_GITHUB_TOKEN ? { notificationsToken: process.env.RUNWAY_GITHUB_TOKEN } : {}),
  });
  if (flags.dryRun) {
    print(formatPlan('runway up --dry-run: the plan for this machine (nothing was run)', plan));
    if (problems.length > 0) print(`\nrunway up would stop before step 1:\n\n${formatProblems(problems)}`);
    return;
  }
  for (const warning of plan.warnings) print(`warning: ${warning}`);
  const { captured, timings } = await runPlan(plan, {
    cwd: root,
    progress: progressFor(process.stdout, process.env),
    execute: runCommand,
  });
  if (process.env.GITHUB_ACTIONS === 'true') {
    for (const secret of [captured.argocdPassword, captured.grafanaPassword])
      if (secret) print(`::add-mask::${secret}`);
  }
  print(`\n${formatSummary(timings, captured)}`);
};

const down = async (flags: { readonly dryRun?: boolean }): Promise<void> => {
  const root = await repositoryRoot();
  const clusters = await ask(root, 'kind', 'get', 'clusters');
  const exists = async (name: string) =>
    readContainer(await ask(root, 'docker', 'inspect', '--format', CONTAINER_INSPECT_FORMAT, name)).exists;
  const plan = planDown({
    clusterExists: clusters.code === 0 && clusters.stdout.split('\n').includes(CLUSTER_NAME),
    registryExists: await exists(REGISTRY_CONTAINER),
    gitServerExists: await exists(GIT_SERVER_CONTAINER),
  });
  if (flags.dryRun) {
    print(formatPlan('runway down --dry-run: the plan for this machine (nothing was run)', plan));
    return;
  }
  const { timings } = await runPlan(plan, {
    cwd: root,
    progress: progressFor(process.stdout, process.env),
    execute: runCommand,
  });
  const seconds = timings.reduce((sum, timing) => sum + timing.seconds, 0);
  print(
    `The local platform is gone (${seconds.toFixed(1)}s). The snapshot under ${defaultStateDir()} is kept; delete it if you like.`,
  );
};

const readPointers = async (root: string): Promise<Map<EnvironmentName, ReleasePointer>> => {
  const pointers = new Map<EnvironmentName, ReleasePointer>();
  for (const env of ENVIRONMENT_NAMES) {
    const path = `${RELEASES_DIR}/${env}.json`;
    const text = await readFile(join(root, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text !== undefined) pointers.set(env, parsePointer(text, path, env));
  }
  return pointers;
};

const clusterStatus = async (): Promise<void> => {
  const root = await repositoryRoot();
  const result = await ask(
    root,
    'kubectl',
    '--context',
    KUBE_CONTEXT,
    '-n',
    ARGOCD_NAMESPACE,
    'get',
    'applications',
    '-o',
    'json',
  );
  if (result.missing)
    throw new RunwayError(
      'KUBECTL_MISSING',
      'kubectl is not installed.',
      'Run `npx runway up` to see how to install what is missing.',
    );
  if (result.code !== 0) {
    throw new RunwayError(
      'CLUSTER_UNREACHABLE',
      `cannot list Argo CD Applications in ${KUBE_CONTEXT}: ${result.stderr.trim().split('\n')[0] ?? ''}`,
      'Is the local platform up? Start it with `npx runway up`.',
    );
  }
  print(formatStatus(statusRows(parseApplicationList(result.stdout), await readPointers(root))));
};

interface SnapshotFlags {
  readonly repo?: string;
  readonly revision: string;
  readonly digest: string;
  readonly gitUrl: string;
  readonly stateDir?: string;
}

const snapshot = async (flags: SnapshotFlags): Promise<void> => {
  const result = await takeSnapshot({
    root: await repositoryRoot(),
    ...(flags.repo ? { repo: flags.repo } : {}),
    revision: flags.revision,
    digest: flags.digest,
    gitUrl: flags.gitUrl,
    stateDir: flags.stateDir ?? defaultStateDir(),
  });
  print(`local commit ${result.commit}: ${result.changed.length} file(s) localized`);
};

/** `runway up`, `runway down` and `runway cluster status|snapshot`: the local platform on kind. */
export const registerClusterCommands = (program: Program): void => {
  program
    .command('up')
    .description(
      'create or repair the local platform (kind, registry, Argo CD, root app) and wait until it is healthy',
    )
    .option('--dry-run', 'print the plan (the exact commands) without running anything')
    .option('--repo <url>', 'take the platform from this repository instead of the working copy')
    .option('--revision <rev>', 'branch, tag or commit to deploy (default: HEAD; main with --repo)')
    .action(up);
  program
    .command('down')
    .description('remove the local cluster, registry and git server')
    .option('--dry-run', 'print the plan without running anything')
    .action(down);
  const cluster = program.command('cluster').description('the local platform on kind');
  cluster
    .command('status')
    .description("each Application's sync and health, and what each env runs against what git says")
    .action(clusterStatus);
  cluster
    .command('snapshot')
    .description('(used by runway up) copy a commit into the local git server with dev on a local build')
    .option('--repo <url>', 'repository to snapshot (default: the working copy)')
    .requiredOption('--revision <rev>', 'branch, tag or commit')
    .requiredOption('--digest <digest>', 'digest of the local build in the local registry')
    .requiredOption('--git-url <url>', 'where Argo CD reads the snapshot')
    .option('--state-dir <dir>', 'where runway keeps its local state')
    .action(snapshot);
};
