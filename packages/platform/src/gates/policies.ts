import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkDockerfile, type ImageKind } from '../policy/dockerfile.js';
import type { Finding } from '../policy/finding.js';
import { kubeObjectsIn } from '../policy/kube-documents.js';
import { checkManifests, securityRules } from '../policy/manifests/index.js';
import { rbacRule } from '../policy/manifests/rbac.js';
import { writtenRisksRule } from '../policy/manifests/written-risks.js';
import { checkActionMetadata, checkWorkflow } from '../policy/workflow.js';
import { lintWorkflows } from '../policy/workflow-actionlint.js';
import { checkWorkflowInjection } from '../policy/workflow-injection.js';
import { checkWorkflowSchema } from '../policy/workflow-schema.js';
import { type KubeObject, objectId } from '../synth/object.js';
import { fromPolicyFinding, type GateFinding } from './finding.js';
import { trackedFiles } from './git.js';
import type { CheckOutcome } from './report.js';

/**
 * Docker's and Podman's names for a build file: `Dockerfile`, `Dockerfile.prod`, `prod.Dockerfile`,
 * `Containerfile` (any case); not source files about Dockerfiles (`dockerfile.ts`, `Dockerfile.md`).
 */
export const isDockerfile = (file: string): boolean => {
  const name = basename(file);
  if (/\.(dockerfile|containerfile)$/i.test(name)) return true;
  return (
    /^(dockerfile|containerfile)([._-][\w.-]+)?$/i.test(name) &&
    !/\.(ts|tsx|js|mjs|cjs|json|md|txt|ya?ml|py|go|rs|sh|snap|orig|bak)$/i.test(name)
  );
};
/** Images that support development or CI rather than ship the service: the service-image rules do not apply. */
const imageKindOf = (file: string): ImageKind =>
  /(^|\/)(infra|e2e|\.devcontainer|\.ci|ci|tools|test|tests)\//.test(file) ? 'support' : 'service';
export const isWorkflow = (file: string): boolean => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(file);
/** Action metadata (composite actions run their steps with the caller's token): `.github/actions/**`, or a root action. */
export const isActionMetadata = (file: string): boolean =>
  /(^|\/)action\.ya?ml$/.test(file) && (file.startsWith('.github/') || !file.includes('/'));
/** Any YAML or JSON may hold a Kubernetes object that someone applies; those under deploy/ must also parse. */
const isStructuredData = (file: string): boolean => /\.(ya?ml|json)$/i.test(file) && !isWorkflow(file);
const isRenderedManifest = (file: string): boolean => /^deploy\/.+\.ya?ml$/.test(file);

/** A check of one file that throws is a finding about that file, never the end of the gate. */
const guarded = async (file: string, check: () => Promise<Finding[]> | Finding[]): Promise<GateFinding[]> => {
  try {
    return (await check()).map((finding) => fromPolicyFinding(finding, file));
  } catch (error) {
    return [
      {
        check: 'policy',
        policy: 'policy/crashed',
        severity: 'error',
        target: file,
        path: 'line 1',
        message: `a policy crashed on this file (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): it was not judged`,
        file,
      },
    ];
  }
};

const read = (root: string, file: string): Promise<string> => readFile(join(root, file), 'utf8');

const checkDockerfiles = async (root: string, files: readonly string[]): Promise<GateFinding[]> =>
  (
    await Promise.all(
      files
        .filter(isDockerfile)
        .map((file) =>
          guarded(file, async () => checkDockerfile(file, await read(root, file), imageKindOf(file))),
        ),
    )
  ).flat();

const checkWorkflows = async (root: string, files: readonly string[]): Promise<GateFinding[]> => {
  const workflows = await Promise.all(
    files.filter(isWorkflow).map(async (file) => ({ target: file, content: await read(root, file) })),
  );
  const linted = await lintWorkflows(workflows);
  const perFile = await Promise.all(
    workflows.map(async ({ target, content }) => [
      ...(await guarded(target, () => checkWorkflowSchema(target, content))),
      ...(await guarded(target, () => checkWorkflow(target, content))),
      ...(await guarded(target, () => checkWorkflowInjection(target, content))),
      ...(linted.get(target) ?? []).map((finding) => fromPolicyFinding(finding, target)),
    ]),
  );
  const actions = await Promise.all(
    files.filter(isActionMetadata).map((file) =>
      guarded(file, async () => {
        const content = await read(root, file);
        return [...checkActionMetadata(file, content), ...checkWorkflowInjection(file, content)];
      }),
    ),
  );
  return [...perFile, ...actions].flat();
};

/** Every Kubernetes object in the repository, all at once: some manifest rules relate objects to each other. */
const checkKubernetesObjects = async (
  root: string,
  files: readonly string[],
): Promise<{ findings: GateFinding[]; files: number; objects: number }> => {
  const rendered: KubeObject[] = [];
  const elsewhere: KubeObject[] = [];
  const templated: KubeObject[] = [];
  const fileOf = new Map<string, string>();
  const findings: GateFinding[] = [];
  let manifestFiles = 0;
  for (const file of files.filter(isStructuredData)) {
    const parsed = await guarded(file, async () => {
      const result = kubeObjectsIn(file, await read(root, file));
      if (result.objects.length + result.templated.length > 0) manifestFiles += 1;
      for (const object of result.objects) {
        (isRenderedManifest(file) ? rendered : elsewhere).push(object);
        fileOf.set(objectId(object), file);
      }
      for (const object of result.templated) {
        templated.push(object);
        fileOf.set(objectId(object), file);
      }
      // A file that does not parse hides whatever it holds: an error where manifests are expected.
      return [...(isRenderedManifest(file) ? result.syntaxErrors : []), ...result.templateRisks];
    });
    findings.push(...parsed);
  }
  // deploy/ meets every rule; an object elsewhere (an example, a kind config) meets the security rules.
  const manifestFindings = [
    ...checkManifests(rendered),
    ...checkManifests(elsewhere, securityRules),
    ...checkManifests(templated, [writtenRisksRule, rbacRule]),
  ].map(
    (finding): GateFinding => ({ ...finding, check: 'policy', file: fileOf.get(finding.target) ?? 'deploy' }),
  );
  return {
    findings: [...findings, ...manifestFindings],
    files: manifestFiles,
    objects: rendered.length + elsewhere.length + templated.length,
  };
};

/** The file policies over everything this repository ships: Dockerfiles, workflows and actions, Kubernetes objects. */
export const checkPolicies = async (root: string): Promise<CheckOutcome> => {
  const files = await trackedFiles(root);
  const count = (matches: (file: string) => boolean) => files.filter(matches).length;
  const [dockerfiles, workflows, kubernetes] = await Promise.all([
    checkDockerfiles(root, files),
    checkWorkflows(root, files),
    checkKubernetesObjects(root, files),
  ]);
  return {
    findings: [...dockerfiles, ...workflows, ...kubernetes.findings],
    scope: `${count(isDockerfile)} Dockerfiles, ${count(isWorkflow)} workflows, ${count(isActionMetadata)} actions, ${kubernetes.objects} Kubernetes objects in ${kubernetes.files} files`,
  };
};
