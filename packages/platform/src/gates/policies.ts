import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkDockerfile } from '../policy/dockerfile.js';
import { checkWorkflow } from '../policy/workflow.js';
import { runActionlint } from '../policy/workflow-actionlint.js';
import { checkWorkflowSchema } from '../policy/workflow-schema.js';
import { fromPolicyFinding, type GateFinding } from './finding.js';
import { trackedFiles } from './git.js';

const isDockerfile = (file: string): boolean => basename(file) === 'Dockerfile';
const isWorkflow = (file: string): boolean => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);

/** The file policies over what this repository ships: its Dockerfiles and its GitHub workflows. */
export const checkPolicies = async (root: string): Promise<GateFinding[]> => {
  const files = await trackedFiles(root);
  const findings: GateFinding[] = [];
  for (const file of files.filter(isDockerfile)) {
    const content = await readFile(join(root, file), 'utf8');
    findings.push(...checkDockerfile(file, content).map((finding) => fromPolicyFinding(finding, file)));
  }
  for (const file of files.filter(isWorkflow)) {
    const content = await readFile(join(root, file), 'utf8');
    const workflowFindings = [
      ...checkWorkflowSchema(file, content),
      ...checkWorkflow(file, content),
      ...(await runActionlint(file, content)),
    ];
    findings.push(...workflowFindings.map((finding) => fromPolicyFinding(finding, file)));
  }
  return findings;
};
