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
}

/**
 * A Helm template with its actions taken out: a line that is only an action (`{{- include "x.labels" . | nindent
 * 4 }}`, `{{- if … }}`) goes, and an action inside a value becomes the word `templated`.
 */
const withoutTemplateActions = (content: string): string =>
  content
    .split('\n')
    .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{-?[^}]*?-?\}\}/g, 'templated'))
    .join('\n');

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

export const kubeObjectsIn = (file: string, content: string): KubeDocuments => {
  if (/\.json$/i.test(file)) {
    try {
      return { objects: asObjects(JSON.parse(content)), templated: [], syntaxErrors: [] };
    } catch {
      return { objects: [], templated: [], syntaxErrors: [] };
    }
  }
  // A chart's templates/ (Helm reads no other directory): elsewhere `{{` is a value's own Go template, as in an
  // ExternalSecret's target template, and the file is an ordinary manifest.
  if (/(^|\/)templates\//.test(file) && content.includes('{{')) {
    const templated = parseAllDocuments(withoutTemplateActions(content), { version: '1.1' })
      .filter((document) => document.errors.length === 0)
      .flatMap((document) => asObjects(document.toJS()))
      // Templated names collide across charts ("templated"): the file keeps each object's findings apart.
      .map((object) => ({
        ...object,
        metadata: { ...object.metadata, name: `${object.metadata.name} in ${file}` },
      }));
    return { objects: [], templated, syntaxErrors: [] };
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
  return { objects, templated: [], syntaxErrors };
};
