import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/cluster/exec.js';
import type { Command, Plan } from '../src/cluster/plan-types.js';
import { plainProgress, progressFor, terminalProgress } from '../src/cluster/progress.js';
import { runPlan } from '../src/cluster/run-plan.js';
import { formatSummary } from '../src/cluster/summary.js';

const node = (script: string, extra: Partial<Command> = {}): Command => ({
  argv: [process.execPath, '-e', script],
  timeoutSeconds: 10,
  ...extra,
});

const recorder = (isTTY = false) => {
  const chunks: string[] = [];
  return { out: { isTTY, write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
};

/** A clock that advances 1.5 s per reading, so timings are exact. */
const clock = () => {
  let now = 0;
  return () => {
    now += 1500;
    return now;
  };
};

const plan = (...steps: Array<{ title: string; commands: Command[]; hint?: string }>): Plan => ({
  steps: steps.map((step, index) => ({
    id: `s${index}`,
    title: step.title,
    hint: step.hint ?? 'look here',
    commands: () => step.commands,
  })),
  warnings: [],
});

describe('runCommand', () => {
  it('feeds stdin and returns stdout, stderr and the exit code', async () => {
    const result = await runCommand(
      node(
        "process.stdin.on('data', (d) => process.stdout.write(String(d).toUpperCase())); console.error('note'); process.exitCode = 3",
        { stdin: 'hello' },
      ),
      tmpdir(),
    );
    expect(result).toMatchObject({
      code: 3,
      stdout: 'HELLO',
      stderr: 'note\n',
      missing: false,
      timedOut: false,
    });
  });

  it('passes extra environment variables', async () => {
    const result = await runCommand(
      node('process.stdout.write(process.env.RUNWAY_PROBE ?? "")', { env: { RUNWAY_PROBE: 'yes' } }),
      tmpdir(),
    );
    expect(result.stdout).toBe('yes');
  });

  it('reports a missing program instead of throwing', async () => {
    const result = await runCommand({ argv: ['runway-no-such-program'], timeoutSeconds: 5 }, tmpdir());
    expect(result).toMatchObject({ missing: true, code: null });
  });

  it('kills a command that overruns its own limit', async () => {
    const started = Date.now();
    const result = await runCommand(node('setTimeout(() => {}, 60000)', { timeoutSeconds: 1 }), tmpdir());
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('runPlan', () => {
  it('runs the steps in order, passes captured values on, and times every step', async () => {
    const { out, text } = recorder();
    const digest = `sha256:${'d'.repeat(64)}`;
    const result = await runPlan(
      {
        steps: [
          {
            id: 'push',
            title: 'Push',
            hint: '',
            commands: () => [node(`console.log('x: digest: ${digest} size: 1')`, { capture: 'imageDigest' })],
          },
          {
            id: 'use',
            title: 'Use',
            hint: '',
            commands: (captured) => [node(`if ('${captured.imageDigest}' !== '${digest}') process.exit(9)`)],
          },
        ],
        warnings: [],
      },
      { cwd: tmpdir(), progress: plainProgress(out), execute: runCommand, now: clock() },
    );
    expect(result.captured.imageDigest).toBe(digest);
    expect(result.timings).toEqual([
      { title: 'Push', seconds: 1.5 },
      { title: 'Use', seconds: 1.5 },
    ]);
    expect(text()).toBe('▶ Push\n✔ Push [1.5s]\n▶ Use\n✔ Use [1.5s]\n');
  });

  it('stops at the first failure with the command, its last stderr lines and the step hint', async () => {
    const { out, text } = recorder();
    const failing = plan(
      {
        title: 'Install Argo CD',
        commands: [node("console.error('line 1\\nerror: the server is unreachable'); process.exit(1)")],
        hint: 'kubectl -n argocd get pods',
      },
      { title: 'Never', commands: [node('')] },
    );
    const error = await runPlan(failing, {
      cwd: tmpdir(),
      progress: plainProgress(out),
      execute: runCommand,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'STEP_FAILED', hint: 'kubectl -n argocd get pods' });
    expect((error as Error).message).toMatch(
      /^Install Argo CD: \$ .* failed: it exited with code 1:\nline 1\nerror: the server is unreachable$/,
    );
    expect(text()).toContain('✖ Install Argo CD');
    expect(text()).not.toContain('Never');
  });

  it('names the time limit a step overran', async () => {
    const { out } = recorder();
    const slow = plan({
      title: 'Wait for dev',
      commands: [node('setTimeout(() => {}, 60000)', { timeoutSeconds: 1 })],
    });
    await expect(
      runPlan(slow, { cwd: tmpdir(), progress: plainProgress(out), execute: runCommand }),
    ).rejects.toThrow(/Wait for dev: .* failed: it did not finish within 1 s/);
  });

  it('stops each command of a step with a shared bound at the remaining time of the step', async () => {
    const { out } = recorder();
    let clock = 0;
    const given: number[] = [];
    const execute = async (command: { timeoutSeconds: number }) => {
      given.push(command.timeoutSeconds);
      clock += 100_000; // each wait takes 100 s
      return { code: 0, stdout: '', stderr: '', timedOut: false, missing: false };
    };
    const wait = { argv: ['kubectl', 'wait'], timeoutSeconds: 310 };
    await runPlan(
      {
        steps: [{ id: 'w', title: 'Waits', hint: '', boundSeconds: 250, commands: () => [wait, wait, wait] }],
        warnings: [],
      },
      { cwd: tmpdir(), progress: plainProgress(out), execute, now: () => clock },
    );
    expect(given).toEqual([250, 150, 50]);
  });

  it('says which program is missing', async () => {
    const { out } = recorder();
    const missing = plan({
      title: 'Create the cluster',
      commands: [{ argv: ['runway-no-such-kind', 'create'], timeoutSeconds: 5 }],
    });
    await expect(
      runPlan(missing, { cwd: tmpdir(), progress: plainProgress(out), execute: runCommand }),
    ).rejects.toThrow(/runway-no-such-kind is not installed/);
  });
});

describe('progress', () => {
  it('on a terminal: a spinner line redrawn in place, then a tick with the time', () => {
    const { out, text } = recorder(true);
    const progress = terminalProgress(out, clock());
    progress.start('Install Argo CD', 'creating');
    progress.succeed(12.34);
    expect(text()).toBe(
      '\r\x1b[2K⠙ Install Argo CD (creating)  1.5s\r\x1b[2K✔ Install Argo CD (creating)  12.3s\n',
    );
  });

  it('chooses the spinner on a terminal outside CI', () => {
    const { out, text } = recorder(true);
    const progress = progressFor(out, {});
    progress.start('Step');
    progress.succeed(1);
    expect(text().startsWith('\r\x1b[2K')).toBe(true);
    expect(text().endsWith('✔ Step  1.0s\n')).toBe(true);
  });

  it('plain lines in CI or when not a terminal', () => {
    const { out, text } = recorder(true);
    const progress = progressFor(out, { CI: 'true' });
    progress.start('Step');
    progress.fail(2);
    expect(text()).toBe('▶ Step\n✖ Step [2.0s]\n');
  });
});

describe('the closing summary', () => {
  it('prints the URLs, the credentials and every step time', () => {
    const password = ['pass', 'word'].join('-');
    const text = formatSummary(
      [
        { title: 'kind cluster', seconds: 61.2 },
        { title: 'links-dev: Synced and Healthy', seconds: 4 },
      ],
      { argocdPassword: password, grafanaPassword: password, imageDigest: `sha256:${'a'.repeat(64)}` },
    );
    expect(text).toContain('The platform is up (1m 5s).');
    expect(text).toContain("curl -H 'Host: dev.links.runway.dev' http://localhost:8000/");
    expect(text).toContain(`https://localhost:8443   user admin   password ${password}`);
    expect(text).toContain('port-forward svc/kube-prometheus-stack-grafana 3000:80');
    expect(text).toContain('  1m 1s  kind cluster\n');
    expect(text).toContain('   4.0s  links-dev: Synced and Healthy');
  });
});
