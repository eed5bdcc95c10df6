import { RunwayError } from '../errors.js';
import { parseCapture } from './captures.js';
import type { CommandResult, Execute } from './exec.js';
import { formatCommand } from './format-plan.js';
import type { Captured, CaptureKey, Command, Plan } from './plan-types.js';
import type { Progress } from './progress.js';
import type { StepTiming } from './summary.js';

export interface RunOptions {
  readonly cwd: string;
  readonly progress: Progress;
  readonly execute: Execute;
  readonly now?: () => number;
}

const lastLines = (text: string, count: number): string => text.trim().split('\n').slice(-count).join('\n');

const failure = (command: Command, result: CommandResult): string | undefined => {
  const program = command.argv[0] ?? '';
  if (result.missing) return `${program} is not installed (run \`npx runway up\` to see how to install it)`;
  if (result.timedOut) return `it did not finish within ${command.timeoutSeconds} s`;
  if (result.code !== 0)
    return `it exited with code ${result.code ?? 'none'}${result.stderr.trim() ? `:\n${lastLines(result.stderr, 5)}` : ''}`;
  return undefined;
};

/** Runs each step's commands in order with its time limit, reporting progress; stops at the first failure with a hint. */
export const runPlan = async (
  plan: Plan,
  options: RunOptions,
): Promise<{ captured: Captured; timings: StepTiming[] }> => {
  const now = options.now ?? Date.now;
  const captured: Partial<Record<CaptureKey, string>> = {};
  const timings: StepTiming[] = [];
  for (const step of plan.steps) {
    const startedAt = now();
    options.progress.start(step.title, step.note);
    const deadline = step.boundSeconds === undefined ? undefined : startedAt + step.boundSeconds * 1000;
    for (const planned of step.commands(captured)) {
      // A step with a shared bound stops each command at the step's remaining time.
      const remaining =
        deadline === undefined ? planned.timeoutSeconds : Math.ceil((deadline - now()) / 1000);
      const command = {
        ...planned,
        timeoutSeconds: Math.max(1, Math.min(planned.timeoutSeconds, remaining)),
      };
      const result = await options.execute(command, options.cwd);
      const problem = failure(command, result);
      if (problem) {
        options.progress.fail((now() - startedAt) / 1000);
        throw new RunwayError(
          'STEP_FAILED',
          `${step.title}: ${formatCommand({ argv: command.argv, timeoutSeconds: command.timeoutSeconds })} failed: ${problem}`,
          step.hint,
        );
      }
      if (command.capture) captured[command.capture] = parseCapture(command.capture, result.stdout);
    }
    const seconds = (now() - startedAt) / 1000;
    options.progress.succeed(seconds);
    timings.push({ title: step.title, seconds });
  }
  return { captured, timings };
};
