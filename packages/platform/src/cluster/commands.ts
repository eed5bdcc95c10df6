import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command as Program } from 'commander';
import { RunwayError } from '../errors.js';
import { ENVIRONMENT_NAMES, type EnvironmentName, type ReleasePointer } from '../release/pointer.js';
import { parseReleasePointer, readDeployLayout } from './deploy-layout.js';
import { runCommand } from './exec.js';
import { formatPlan } from './format-plan.js';
import { planDown } from './plan-down.js';
import { planUp } from './plan-up.js';
import { checkPrerequisites, formatProblems } from './prerequisites.js';
import { probeMachine } from './probe-machine.js';
import { progressFor } from './progress.js';
import { readRegistry } from './read-probes.js';
import { toFetchableUrl } from './repository.js';
import { runPlan } from './run-plan.js';
import {
  ARGOCD_NAMESPACE,
  CLUSTER_NAME,
  KUBE_CONTEXT,
  REGISTRY_CONTAINER,
  REGISTRY_HOSTS_TOML_PATH,
  RELEASES_DIR,
  TIMEOUTS,
} from './settings.js';
import { formatStatus, parseApplicationList, statusRows } from './status.js';
import { formatSummary } from './summary.js';

interface UpFlags {
  readonly dryRun?: boolean;
  readonly repo?: string;
  readonly revision?: string;
}

const repositoryRoot = async (): Promise<string> => {
  const result = await runCommand(
    { argv: ['git', 'rev-parse', '--show-toplevel'], timeoutSeconds: TIMEOUTS.probe },
    process.cwd(),
  );
  return result.code === 0 ? result.stdout.trim() : process.cwd();
};

const print = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const up = async (flags: UpFlags): Promise<void> => {
  const root = await repositoryRoot();
  const probes = await probeMachine(root, runCommand);
  const problems = checkPrerequisites(probes, {
    repoGiven: flags.repo !== undefined,
    revisionGiven: flags.revision !== undefined,
  });
  if (problems.length > 0 && !flags.dryRun)
    throw new RunwayError('PREREQUISITES_MISSING', formatProblems(problems));
  const revision = flags.revision ?? probes.git.headSha ?? 'HEAD';
  const plan = planUp({
    probes,
    layout: await readDeployLayout(root),
    repoUrl:
      flags.repo ?? (probes.git.originUrl ? toFetchableUrl(probes.git.originUrl) : '<no origin remote>'),
    revision,
    imageTag: revision.slice(0, 12),
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
  const ask = (...argv: string[]) => runCommand({ argv, timeoutSeconds: TIMEOUTS.probe }, root);
  const clusters = await ask('kind', 'get', 'clusters');
  const registry = readRegistry(
    await ask(
      'docker',
      'inspect',
      '--format',
      '{{.State.Running}}|{{.Config.Image}}|{{json .NetworkSettings.Networks}}',
      REGISTRY_CONTAINER,
    ),
  );
  const plan = planDown({
    clusterExists: clusters.code === 0 && clusters.stdout.split('\n').includes(CLUSTER_NAME),
    registryExists: registry.exists,
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
  print(
    `Removed the local platform in ${timings.reduce((sum, timing) => sum + timing.seconds, 0).toFixed(1)}s.`,
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
    if (text !== undefined) pointers.set(env, parseReleasePointer(text, path));
  }
  return pointers;
};

const clusterStatus = async (): Promise<void> => {
  const root = await repositoryRoot();
  const result = await runCommand(
    {
      argv: [
        'kubectl',
        '--context',
        KUBE_CONTEXT,
        '-n',
        ARGOCD_NAMESPACE,
        'get',
        'applications',
        '-o',
        'json',
      ],
      timeoutSeconds: TIMEOUTS.probe,
    },
    root,
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

/** `runway up`, `runway down` and `runway cluster status`: the local platform on kind. */
export const registerClusterCommands = (program: Program): void => {
  program
    .command('up')
    .description(
      'create or repair the local platform (kind + registry + Argo CD + root app) and wait until it is healthy',
    )
    .option('--dry-run', 'print the plan (the exact commands) without running anything')
    .option('--repo <url>', 'the git repository Argo CD reads (default: the origin remote)')
    .option(
      '--revision <rev>',
      'the branch, tag or commit Argo CD reads (default: HEAD, which must be pushed)',
    )
    .action(up);
  program
    .command('down')
    .description('remove the local cluster and registry')
    .option('--dry-run', 'print the plan without running anything')
    .action(down);
  program
    .command('cluster')
    .description('the local platform on kind')
    .command('status')
    .description("each Application's sync and health, and what each env runs against what git says")
    .action(clusterStatus);
};
