import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parseAllDocuments } from 'yaml';
import { checkDockerfile } from '../policy/dockerfile.js';
import { checkManifests } from '../policy/manifests/index.js';
import { checkWorkflow } from '../policy/workflow.js';
import { runActionlint } from '../policy/workflow-actionlint.js';
import { checkWorkflowSchema } from '../policy/workflow-schema.js';
import { type KubeObject, objectId } from '../synth/object.js';
import { fromPolicyFinding, type GateFinding } from './finding.js';
import { trackedFiles } from './git.js';
import type { CheckOutcome } from './report.js';

const isDockerfile = (file: string): boolean => basename(file) === 'Dockerfile';
const isWorkflow = (file: string): boolean => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);
const isManifest = (file: string): boolean => /^deploy\/.+\.ya?ml$/.test(file);

const checkKubeObject = Compile(
  Type.Object({
    apiVersion: Type.String(),
    kind: Type.String(),
    metadata: Type.Object({ name: Type.String() }),
  }),
);

const checkDockerfiles = async (root: string, files: readonly string[]): Promise<GateFinding[]> => {
  const findings: GateFinding[] = [];
  for (const file of files.filter(isDockerfile)) {
    const content = await readFile(join(root, file), 'utf8');
    findings.push(...checkDockerfile(file, content).map((finding) => fromPolicyFinding(finding, file)));
  }
  return findings;
};

const checkWorkflows = async (root: string, files: readonly string[]): Promise<GateFinding[]> => {
  const findings: GateFinding[] = [];
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

/** The rendered manifests under deploy/, all at once: some manifest rules relate objects to each other. */
const checkRenderedManifests = async (root: string, files: readonly string[]): Promise<GateFinding[]> => {
  const objects: KubeObject[] = [];
  const fileOf = new Map<string, string>();
  const findings: GateFinding[] = [];
  for (const file of files.filter(isManifest)) {
    for (const document of parseAllDocuments(await readFile(join(root, file), 'utf8'))) {
      const data: unknown = document.toJS();
      if (document.errors.length > 0) {
        const message = `not valid YAML: ${document.errors[0]?.message.split('\n')[0]}`;
        findings.push({
          check: 'policy',
          policy: 'manifest/syntax',
          severity: 'error',
          target: file,
          path: '/',
          message,
          file,
        });
      } else if (checkKubeObject.Check(data)) {
        const object = data as KubeObject;
        objects.push(object);
        fileOf.set(objectId(object), file);
      }
    }
  }
  const manifestFindings = checkManifests(objects).map(
    (finding): GateFinding => ({ ...finding, check: 'policy', file: fileOf.get(finding.target) ?? 'deploy' }),
  );
  return [...findings, ...manifestFindings];
};

/** The file policies over what this repository ships: Dockerfiles, GitHub workflows, rendered manifests. */
export const checkPolicies = async (root: string): Promise<CheckOutcome> => {
  const files = await trackedFiles(root);
  const count = (matches: (file: string) => boolean) => files.filter(matches).length;
  return {
    findings: [
      ...(await checkDockerfiles(root, files)),
      ...(await checkWorkflows(root, files)),
      ...(await checkRenderedManifests(root, files)),
    ],
    scope: `${count(isDockerfile)} Dockerfiles, ${count(isWorkflow)} workflows, ${count(isManifest)} manifest files`,
  };
};
