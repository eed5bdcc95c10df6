import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateFinding } from '../finding.js';
import { historyBlobs, historyRange, readBlobs, trackedFiles } from '../git.js';
import type { CheckOutcome } from '../report.js';
import type { SecretMatch } from './rules.js';
import { scanContent } from './scan.js';

export interface SecretsOptions {
  readonly root: string;
  readonly allHistory: boolean;
}

const toFinding = (match: SecretMatch, file: string, where: string): GateFinding => ({
  check: 'secrets',
  policy: match.rule,
  severity: 'error',
  target: where,
  path: `line ${match.line}`,
  message: `${match.description} (${match.preview}): remove it and rotate it (a pushed secret is compromised)`,
  exceptionId: `secret:${match.fingerprint}`,
  file,
  line: match.line,
});

const scanWorkingTree = async (root: string): Promise<CheckOutcome> => {
  const files = await trackedFiles(root);
  const findings: GateFinding[] = [];
  for (const file of files) {
    const path = join(root, file);
    const stat = await lstat(path).catch(() => undefined);
    if (!stat?.isFile()) continue;
    for (const match of await scanContent(file, await readFile(path))) {
      findings.push(toFinding(match, file, file));
    }
  }
  return { findings, scope: `${files.length} tracked files` };
};

const scanHistory = async (root: string, allHistory: boolean): Promise<CheckOutcome> => {
  const range = await historyRange(root, allHistory);
  const blobs = await historyBlobs(root, range);
  const contents = await readBlobs(
    root,
    blobs.map((entry) => entry.blob),
  );
  const findings: GateFinding[] = [];
  for (const entry of blobs) {
    const content = contents.get(entry.blob);
    if (!content) continue;
    for (const match of await scanContent(entry.path, content)) {
      findings.push(toFinding(match, entry.path, `${entry.path}@${entry.commit.slice(0, 12)}`));
    }
  }
  return { findings, scope: `history ${range.join(' ') || '(no commits)'}: ${blobs.length} file versions` };
};

/**
 * Secrets in the tracked working tree and in the history a push would publish. A secret still in the tree
 * shows up in both; the history finding matters after the file is fixed, since the commit still holds it.
 */
export const checkSecrets = async ({ root, allHistory }: SecretsOptions): Promise<CheckOutcome> => {
  const tree = await scanWorkingTree(root);
  const history = await scanHistory(root, allHistory);
  return { findings: [...tree.findings, ...history.findings], scope: `${tree.scope}; ${history.scope}` };
};
