import type { Command, Plan, Step } from './plan-types.js';
import { PLACEHOLDERS } from './plan-types.js';

const SAFE = /^[\w@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell, so a printed plan can be pasted and run. */
export const shellQuote = (arg: string): string =>
  SAFE.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;

export const formatCommand = (command: Command): string => {
  const line = `$ ${command.argv.map(shellQuote).join(' ')}`;
  if (command.stdin === undefined) return line;
  if (command.stdinLabel) return `${line} < ${command.stdinLabel}`;
  return `${line} <<'EOF'\n${command.stdin.trimEnd()}\nEOF`;
};

const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

/** A step's bound: its shared limit, or else the sum of its commands' limits (each is stopped at its own). */
export const stepBound = (step: Step, commands: readonly Command[] = step.commands(PLACEHOLDERS)): number =>
  step.boundSeconds ?? commands.reduce((sum, command) => sum + command.timeoutSeconds, 0);

/** The whole plan's bound, what a CI job running it must allow. */
export const planBound = (plan: Plan): number => plan.steps.reduce((sum, step) => sum + stepBound(step), 0);

/** The dry-run view of a plan: every step with its bound and the exact commands, with placeholders for values learned while running. */
export const formatPlan = (heading: string, plan: Plan): string => {
  const steps = plan.steps.map((step, index) => {
    const commands = step.commands(PLACEHOLDERS);
    const title = `${index + 1}. ${step.title}${step.note ? ` (${step.note})` : ''} [bound ${stepBound(step, commands)} s]`;
    const body =
      commands.length === 0
        ? '   nothing to do'
        : commands.map((command) => indent(formatCommand(command), '   ')).join('\n');
    return `${title}\n${body}`;
  });
  const warnings = plan.warnings.map((warning) => `warning: ${warning}`);
  return [
    heading,
    '',
    ...steps,
    '',
    `bound of the whole plan: ${planBound(plan)} s`,
    ...(warnings.length ? ['', ...warnings] : []),
  ].join('\n');
};
