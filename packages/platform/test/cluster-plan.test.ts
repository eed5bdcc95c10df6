import { describe, expect, it } from 'vitest';
import { formatCommand, formatPlan, planBound, shellQuote, stepBound } from '../src/cluster/format-plan.js';
import { planDown } from '../src/cluster/plan-down.js';
import type { Captured, Command, Plan } from '../src/cluster/plan-types.js';
import { PLACEHOLDERS } from '../src/cluster/plan-types.js';
import { planUp } from '../src/cluster/plan-up.js';
import { startSettingsProblems } from '../src/cluster/start-settings.js';
import { freshMachine, healthyMachine, upInputs } from './cluster-fixtures.js';

const commandsOf = (plan: Plan, captured: Captured = PLACEHOLDERS): Command[] =>
  plan.steps.flatMap((step) => [...step.commands(captured)]);
const lines = (plan: Plan): string[] => commandsOf(plan).map((command) => command.argv.join(' '));
const step = (plan: Plan, id: string) => {
  const found = plan.steps.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no step ${id}`);
  return found.commands(PLACEHOLDERS).map((command) => command.argv.join(' '));
};

describe('runway up on a fresh machine', () => {
  const plan = planUp(upInputs(freshMachine));

  it('creates the registry, the cluster from the committed config, and the git server, then builds and pushes', () => {
    expect(step(plan, 'registry')).toEqual([
      'docker run -d --restart=always --name runway-registry -p 127.0.0.1:5001:5000 registry:2.8.3',
    ]);
    expect(step(plan, 'cluster')).toEqual([
      'kind create cluster --name runway --config infra/kind/cluster.yaml --wait 180s',
    ]);
    expect(step(plan, 'registry-wiring')[0]).toBe('docker network connect kind runway-registry');
    expect(step(plan, 'git-server')).toContain(
      'docker run -d --restart=always --name runway-git --network kind -v /home/dev/.local/state/runway/git:/srv/git:ro runway-git-server:local',
    );
    expect(step(plan, 'image-build')).toEqual([
      'docker build -f apps/links/Dockerfile -t localhost:5001/links:aaaaaaaaaaaa .',
    ]);
    expect(step(plan, 'image-push')).toEqual(['docker push localhost:5001/links:aaaaaaaaaaaa']);
  });

  it('writes the registry mirror on all three nodes, from the committed hosts.toml', () => {
    const writes = commandsOf(plan).filter((command) => command.argv[1] === 'exec');
    expect(writes.map((command) => command.argv[3])).toEqual([
      'runway-control-plane',
      'runway-worker',
      'runway-worker2',
    ]);
    expect(writes.every((command) => command.stdin === '[host."http://runway-registry:5000"]\n')).toBe(true);
  });

  it('snapshots the commit with the pushed digest, served at the git server address it learned', () => {
    const [snapshot] =
      planUp(upInputs(freshMachine))
        .steps.find((candidate) => candidate.id === 'snapshot')
        ?.commands({
          imageDigest: `sha256:${'b'.repeat(64)}`,
          gitServerIp: '172.18.0.5',
        }) ?? [];
    expect(snapshot?.argv).toEqual([
      'npx',
      'runway',
      'cluster',
      'snapshot',
      '--revision',
      'a'.repeat(40),
      '--digest',
      `sha256:${'b'.repeat(64)}`,
      '--git-url',
      'git://172.18.0.5/runway.git',
      '--state-dir',
      '/home/dev/.local/state/runway',
    ]);
  });

  it('installs the pinned Argo CD with server-side apply, after its whole rendered argocd-cm (defect 7)', () => {
    const install = step(plan, 'argocd-install');
    const upstream = install.findIndex((line) =>
      line.includes('raw.githubusercontent.com/argoproj/argo-cd/v3.3.18/manifests/install.yaml'),
    );
    expect(install[upstream]).toContain('apply -n argocd --server-side --force-conflicts -f');
    expect(install[upstream - 1]).toBe(
      'kubectl --context kind-runway apply --server-side --field-manager=runway --force-conflicts -f /home/dev/.local/state/runway/bootstrap/configmap-argocd-cm.yaml',
    );
    expect(startSettingsProblems(plan)).toEqual([]);
  });

  it('finds the start settings applied late, partially or under another manager (the plan before the fix)', () => {
    const jitterOnly: Command = {
      argv: ['kubectl', 'apply', '--server-side', '--field-manager=runway', '-f', '-'],
      stdin:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  timeout.reconciliation.jitter: 0s\n',
      timeoutSeconds: 20,
    };
    const install = (step: Plan['steps'][number]): Command[] =>
      [...step.commands(PLACEHOLDERS)].filter(
        (command) => !command.argv.some((arg) => arg.endsWith('argocd-cm.yaml')),
      );
    const before: Plan = {
      ...plan,
      steps: plan.steps.map((candidate) =>
        candidate.id === 'argocd-install'
          ? { ...candidate, commands: () => [jitterOnly, ...install(candidate)] }
          : candidate,
      ),
    };
    expect(startSettingsProblems(before)).toEqual([
      'the rendered configmap-argocd-cm.yaml is not applied before Argo CD is installed',
      expect.stringContaining('a partial argocd-cm is applied'),
    ]);
  });

  it('applies the bootstrap, refreshes, waits for the add-ons and dev (never the root or ungated apps), then the release running', () => {
    expect(step(plan, 'bootstrap')).toEqual([
      'kubectl --context kind-runway apply --server-side --field-manager=runway --force-conflicts -f /home/dev/.local/state/runway/bootstrap',
    ]);
    expect(step(plan, 'refresh')).toEqual([
      'kubectl --context kind-runway -n argocd annotate applications.argoproj.io --all argocd.argoproj.io/refresh=normal --overwrite',
    ]);
    const ids = plan.steps.map((candidate) => candidate.id);
    expect(ids.indexOf('refresh')).toBe(ids.indexOf('bootstrap') + 1);
    const waited = plan.steps.filter((candidate) => candidate.id.startsWith('wait-'));
    expect(waited.map((candidate) => candidate.id)).toEqual(['wait-addons', 'wait-links-dev']);
    const targets = (id: string) =>
      step(plan, id)
        .filter((line) => line.includes('--for=create'))
        .map((line) => line.split(' ')[6]);
    expect(targets('wait-addons')).toEqual([
      'application/envoy-gateway',
      'application/kube-prometheus-stack',
    ]);
    expect(targets('wait-links-dev')).toEqual(['application/links-dev-base', 'application/links-dev']);
    const [image, healthy] =
      plan.steps
        .find((candidate) => candidate.id === 'release-running')
        ?.commands({ imageDigest: `sha256:${'b'.repeat(64)}` })
        .map((command) => command.argv.slice(3).join(' ')) ?? [];
    expect(image).toBe(
      `-n links-dev wait rollout/links --for=jsonpath={.spec.template.spec.containers[0].image}=localhost:5001/links@sha256:${'b'.repeat(64)} --timeout=600s`,
    );
    expect(healthy).toBe(
      '-n links-dev wait rollout/links --for=jsonpath={.status.phase}=Healthy --timeout=600s',
    );
  });

  it('gives each Application its own limit inside a bound its group shares, and a hint naming what to run', () => {
    const addons = plan.steps.find((candidate) => candidate.id === 'wait-addons');
    expect(addons?.boundSeconds).toBe(720);
    expect(
      addons
        ?.commands(PLACEHOLDERS)
        .map((command) => command.argv.slice(3).join(' '))
        .filter((line) => line.includes('kube-prometheus-stack')),
    ).toEqual([
      '-n argocd wait application/kube-prometheus-stack --for=create --timeout=420s',
      '-n argocd wait application/kube-prometheus-stack --for=jsonpath={.status.sync.status}=Synced --timeout=420s',
      '-n argocd wait application/kube-prometheus-stack --for=jsonpath={.status.health.status}=Healthy --timeout=420s',
    ]);
    const dev = plan.steps.find((candidate) => candidate.id === 'wait-links-dev');
    expect(dev?.hint).toContain('kubectl --context kind-runway -n argocd describe application <name>');
    expect(dev?.hint).toContain(
      'kubectl --context kind-runway -n links-dev get pods,events --sort-by=.lastTimestamp',
    );
  });

  it('bounds the whole plan by the sum of its step bounds, which fits the e2e job', () => {
    const total = plan.steps.reduce((sum, candidate) => sum + stepBound(candidate), 0);
    expect(planBound(plan)).toBe(total);
    expect(total).toBeLessThanOrEqual(65 * 60);
  });

  it('reads the Argo CD and Grafana passwords last', () => {
    expect(
      commandsOf(plan)
        .filter((command) => command.capture?.endsWith('Password'))
        .map((command) => command.capture),
    ).toEqual(['argocdPassword', 'grafanaPassword']);
  });

  it('targets only the runway cluster with every kubectl command', () => {
    const kubectl = commandsOf(plan).filter((command) => command.argv[0] === 'kubectl');
    expect(kubectl.length).toBeGreaterThan(10);
    expect(
      kubectl.every((command) => command.argv[1] === '--context' && command.argv[2] === 'kind-runway'),
    ).toBe(true);
  });

  it('bounds every wait twice: kubectl --timeout, and a process limit above it', () => {
    const waits = commandsOf(plan).filter(
      (command) => command.argv.includes('wait') || command.argv.includes('rollout'),
    );
    expect(waits.length).toBeGreaterThan(0);
    for (const command of waits) {
      const flag = command.argv.find((arg) => arg.startsWith('--timeout='));
      expect(flag, command.argv.join(' ')).toBeDefined();
      expect(command.timeoutSeconds).toBeGreaterThan(
        Number.parseInt(flag?.slice('--timeout='.length) ?? '', 10),
      );
    }
    expect(commandsOf(plan).every((command) => command.timeoutSeconds > 0)).toBe(true);
  });

  it('never puts the notifications token on a command line or in the printed plan', () => {
    const token = ['ghp', 'x'.repeat(36)].join('_');
    const withToken = planUp(upInputs(freshMachine, { notificationsToken: token }));
    const secret = commandsOf(withToken).find((command) => command.stdin?.includes(token));
    expect(secret?.argv.join(' ')).not.toContain(token);
    expect(formatPlan('plan', withToken)).not.toContain(token);
    expect(formatPlan('plan', withToken)).toContain(
      '< <argo-rollouts-notification-secret from RUNWAY_GITHUB_TOKEN>',
    );
    expect(withToken.warnings.join('\n')).not.toContain('RUNWAY_GITHUB_TOKEN is not set');
  });
});

describe('runway up again', () => {
  it('changes nothing on a healthy platform: no create, start or connect', () => {
    const plan = planUp(upInputs(healthyMachine));
    expect(step(plan, 'registry')).toEqual([]);
    expect(step(plan, 'cluster')).toEqual([]);
    expect(
      lines(plan).filter((line) => /docker (run|start|rm|network connect)|kind (create|delete)/.test(line)),
    ).toEqual([]);
    expect(plan.steps.find((candidate) => candidate.id === 'cluster')?.note).toBe(
      'reusing the healthy cluster',
    );
  });

  it('recreates a cluster whose nodes are not Ready', () => {
    const plan = planUp(
      upInputs({
        ...healthyMachine,
        cluster: { exists: true, healthy: false, problem: 'node runway-worker2 not Ready' },
      }),
    );
    expect(step(plan, 'cluster')).toEqual([
      'kind delete cluster --name runway',
      'kind create cluster --name runway --config infra/kind/cluster.yaml --wait 180s',
    ]);
    expect(plan.steps.find((candidate) => candidate.id === 'cluster')?.note).toBe(
      'repairing: node runway-worker2 not Ready; recreating it',
    );
    expect(step(plan, 'registry-wiring')[0]).toBe('docker network connect kind runway-registry');
  });

  it('starts a stopped registry and replaces one running another image', () => {
    const stopped = planUp(
      upInputs({ ...healthyMachine, registry: { ...healthyMachine.registry, running: false } }),
    );
    expect(step(stopped, 'registry')).toEqual(['docker start runway-registry']);
    const wrong = planUp(
      upInputs({ ...healthyMachine, registry: { ...healthyMachine.registry, image: 'registry:2' } }),
    );
    expect(step(wrong, 'registry')[0]).toBe('docker rm -f runway-registry');
    expect(step(wrong, 'registry')[1]).toContain('docker run -d');
    expect(wrong.steps[0]?.note).toBe('repairing: runs registry:2 instead of registry:2.8.3');
  });

  it('reconnects a git server that fell off the kind network', () => {
    const plan = planUp(
      upInputs({ ...healthyMachine, gitServer: { ...healthyMachine.gitServer, onKindNetwork: false } }),
    );
    expect(step(plan, 'git-server')).toContain('docker network connect kind runway-git');
  });

  it('warns when deploy/ has nothing to wait for, and still waits for the release to run', () => {
    const plan = planUp(upInputs(freshMachine, { applications: [] }));
    expect(plan.warnings[0]).toContain('deploy/ holds no Argo CD Applications yet');
    expect(plan.steps.filter((candidate) => candidate.id.startsWith('wait-'))).toEqual([]);
    expect(plan.steps.some((candidate) => candidate.id === 'release-running')).toBe(true);
  });
});

describe('runway up --dry-run output', () => {
  it('prints every step with the exact commands, stdin as a heredoc, placeholders for learned values', () => {
    const text = formatPlan('runway up --dry-run', planUp(upInputs(freshMachine)));
    expect(text).toContain(
      '1. Local registry localhost:5001 (creating) [bound 60 s]\n   $ docker run -d --restart=always',
    );
    expect(text).toMatch(/\nbound of the whole plan: \d+ s\n/);
    expect(text).toContain(
      "sh -c 'mkdir -p /etc/containerd/certs.d/localhost:5001 && cat > /etc/containerd/certs.d/localhost:5001/hosts.toml' <<'EOF'",
    );
    expect(text).toContain("--digest 'sha256:<digest printed by docker push>'");
    expect(text).toContain("'--for=jsonpath={.status.health.status}=Healthy' --timeout=300s");
    expect(text).toMatch(/\n15\. Read the Argo CD and Grafana credentials \[bound 60 s\]\n/);
  });

  it('quotes only what a shell would misread', () => {
    expect(shellQuote('registry:2.8.3')).toBe('registry:2.8.3');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(formatCommand({ argv: ['echo', 'a b'], timeoutSeconds: 1 })).toBe("$ echo 'a b'");
  });
});

describe('runway down', () => {
  it('removes the cluster, the registry and the git server', () => {
    const plan = planDown({ clusterExists: true, registryExists: true, gitServerExists: true });
    expect(lines(plan)).toEqual([
      'kind delete cluster --name runway',
      'docker rm -f runway-registry',
      'docker rm -f runway-git',
    ]);
  });

  it('has nothing to do when everything is gone, so it can always be run again', () => {
    const plan = planDown({ clusterExists: false, registryExists: false, gitServerExists: false });
    expect(lines(plan)).toEqual([]);
    expect(plan.steps.map((candidate) => candidate.note)).toEqual([
      'already gone',
      'already gone',
      'already gone',
    ]);
  });
});
