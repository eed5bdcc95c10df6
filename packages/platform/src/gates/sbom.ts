import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { GateFinding } from './finding.js';

const require = createRequire(import.meta.url);
// The package exports only its entry module, so its CLI is found next to it.
const CYCLONEDX_BIN = join(require.resolve('@cyclonedx/cyclonedx-npm'), '..', 'bin', 'cyclonedx-npm-cli.js');

export interface SbomOptions {
  readonly root: string;
  /** npm workspace name of the service, or undefined for a single-package project. */
  readonly workspace: string | undefined;
  readonly outputFile: string;
}

/**
 * CycloneDX JSON of a service's production dependencies (cyclonedx-npm reads npm's own tree). Without
 * node_modules it reads the lockfile alone. A failure is a blocking finding: no SBOM, no release.
 */
export const writeSbom = ({ root, workspace, outputFile }: SbomOptions): Promise<GateFinding[]> => {
  const args = [
    CYCLONEDX_BIN,
    '--omit',
    'dev',
    '--output-format',
    'JSON',
    '--output-reproducible',
    '--output-file',
    outputFile,
    ...(workspace ? ['--workspace', workspace] : []),
    ...(existsSync(join(root, 'node_modules')) ? [] : ['--package-lock-only']),
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) {
        resolve([]);
        return;
      }
      const detail = stderr.split('\n').find((line) => /error/i.test(line) && !line.includes('nodedir'));
      resolve([
        {
          check: 'sbom',
          policy: 'sbom/generated',
          severity: 'error',
          target: workspace ?? 'package.json',
          path: outputFile,
          file: 'package-lock.json',
          message: `cyclonedx-npm failed: ${detail?.trim() ?? error.message.split('\n')[0]}`,
        },
      ]);
    });
  });
};
