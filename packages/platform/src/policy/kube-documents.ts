import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../synth/object.js';
import type { Finding } from './finding.js';

/**
 * The Kubernetes objects a YAML or JSON file holds, wherever it lives: kubectl applies any such file, so a
 * policy that reads only deploy/ is skipped by moving the object elsewhere. `kind: List` (and `*List`) items
 * are objects too (kubectl unwraps them); an object named only by `generateName` is still an object. Pure.
 */
export interface KubeDocuments {
  readonly objects: KubeObject[];
  /** Objects of a Helm template, read with its actions taken out: only what is written in them can be judged. */
  readonly templated: KubeObject[];
  readonly syntaxErrors: Finding[];
  /** A Helm template that cannot be read even with its actions out: the risks its lines spell out. */
  readonly templateRisks: Finding[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asObjects = (data: unknown): KubeObject[] => {
  if (Array.isArray(data)) return data.flatMap(asObjects);
  if (!isRecord(data) || typeof data.apiVersion !== 'string' || typeof data.kind !== 'string') return [];
  if (data.kind.endsWith('List') && Array.isArray(data.items)) return data.items.flatMap(asObjects);
  const metadata = data.metadata;
  if (!isRecord(metadata)) return [];
  const name = typeof metadata.name === 'string' ? metadata.name : metadata.generateName;
  if (typeof name !== 'string') return [];
  return [{ ...data, metadata: { ...metadata, name } } as KubeObject];
};

const TEMPLATE_ACTION = /\{\{-?[^}]*?-?\}\}/g;

/**
 * A Helm template with its actions taken out: template comments go (over lines too), a line of nothing but
 * actions (an include piped to nindent, an if and its end) goes, and an action inside a value becomes the word
 * `templated`.
 */
const withoutTemplateActions = (content: string): string =>
  content
    .replace(/\{\{-?\s*\/\*[\s\S]*?\*\/\s*-?\}\}/g, '')
    .split('\n')
    .filter((line) => !line.includes('{{') || line.replace(TEMPLATE_ACTION, '').trim() !== '')
    .map((line) => line.replace(TEMPLATE_ACTION, 'templated'))
    .join('\n');

/** Risks spelled out on a line, for a template whose YAML its actions shape so that it cannot be read. */
const LITERAL_RISK =
  /^\s*(?:-\s+)?(?:(hostNetwork|hostPID|hostIPC|privileged|allowPrivilegeEscalation)\s*:\s*(?:true|yes|on)\b|type\s*:\s*(NodePort|LoadBalancer)\b|name\s*:\s*(cluster-admin)\s*$|procMount\s*:\s*(Unmasked)\b)/;

const literalRisks = (file: string, content: string): Finding[] =>
  content.split('\n').flatMap((line, index): Finding[] => {
    const match = LITERAL_RISK.exec(line);
    if (match === null) return [];
    return [
      {
        policy: 'template/written-risk',
        severity: 'error',
        target: file,
        path: `line ${index + 1}`,
        message: `the template itself spells out ${line.trim()}, which no value can undo`,
      },
    ];
  });

/** A chart template: under a `templates/` directory, with an action outside YAML comments. Never under deploy/. */
const isHelmTemplate = (file: string, content: string): boolean =>
  /(^|\/)templates\//.test(file) &&
  !/^deploy\//.test(file) &&
  content.split('\n').some((line) => !/^\s*#/.test(line) && line.includes('{{'));

export const kubeObjectsIn = (file: string, content: string): KubeDocuments => {
  if (/\.json$/i.test(file)) {
    try {
      return { objects: asObjects(JSON.parse(content)), templated: [], syntaxErrors: [], templateRisks: [] };
    } catch {
      return { objects: [], templated: [], syntaxErrors: [], templateRisks: [] };
    }
  }
  // A chart's templates/ (Helm reads no other directory): elsewhere `{{` is a value's own Go template, as in an
  // ExternalSecret's target template, and the file is an ordinary manifest.
  if (isHelmTemplate(file, content)) {
    const documents = parseAllDocuments(withoutTemplateActions(content), { version: '1.1' });
    const templated = documents
      .filter((document) => document.errors.length === 0)
      .flatMap((document) => asObjects(document.toJS()))
      // Templated names collide across charts ("templated"): the file keeps each object's findings apart.
      .map((object) => ({
        ...object,
        metadata: { ...object.metadata, name: `${object.metadata.name} in ${file}` },
      }));
    // What cannot be read is still judged line by line on what it spells out.
    const unreadable = documents.some((document) => document.errors.length > 0);
    return {
      objects: [],
      templated,
      syntaxErrors: [],
      templateRisks: unreadable ? literalRisks(file, content) : [],
    };
  }
  const objects: KubeObject[] = [];
  const syntaxErrors: Finding[] = [];
  // YAML 1.1, as Kubernetes reads it (sigs.k8s.io/yaml over go-yaml v2): `hostNetwork: yes` is true there.
  for (const document of parseAllDocuments(content, { version: '1.1' })) {
    if (document.errors.length > 0) {
      syntaxErrors.push({
        policy: 'manifest/syntax',
        severity: 'error',
        target: file,
        path: '/',
        message: `not valid YAML: ${document.errors[0]?.message.split('\n')[0]}`,
      });
    } else {
      objects.push(...asObjects(document.toJS()));
    }
  }
  return { objects, templated: [], syntaxErrors, templateRisks: [] };
};
