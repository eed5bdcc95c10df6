import { spawn } from 'node:child_process';
import type { Command } from './plan-types.js';

export interface CommandResult {
  /** Exit code; null when the program is missing or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
  readonly timedOut: boolean;
}

export type Execute = (command: Command, cwd: string) => Promise<CommandResult>;

/** Grace between SIGTERM and SIGKILL when a command overruns its time limit. */
const KILL_GRACE_MS = 5_000;

/** Runs one command without a shell, feeding stdin, and kills it when it overruns its own time limit. */
export const runCommand: Execute = (command, cwd) =>
  new Promise((resolve) => {
    const [program, ...args] = command.argv;
    if (!program) throw new Error('empty command');
    const child = spawn(program, args, {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...command.env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let missing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    }, command.timeoutSeconds * 1000);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') missing = true;
      else stderr += error.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: missing ? null : code, stdout, stderr, missing, timedOut });
    });
    // A command that exits before reading its stdin closes the pipe; that is not an error of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(command.stdin ?? '');
  });
