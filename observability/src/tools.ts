import { execFile } from 'node:child_process';

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an installed tool (promtool, amtool) to completion; a non-zero exit is a result, not an exception. */
export const runTool = (command: string, args: readonly string[], cwd?: string): Promise<ToolResult> =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`could not run ${command}: ${error.message} (installed from apt? see README)`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
