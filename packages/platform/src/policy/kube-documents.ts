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
  readonly syntaxErrors: Finding[];
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

export const kubeObjectsIn = (file: string, content: string): KubeDocuments => {
  if (/\.json$/i.test(file)) {
    try {
      return { objects: asObjects(JSON.parse(content)), syntaxErrors: [] };
    } catch {
      return { objects: [], syntaxErrors: [] };
    }
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
  return { objects, syntaxErrors };
};
