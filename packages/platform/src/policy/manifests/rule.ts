import type { KubeObject } from '../../synth/object.js';
import { objectId } from '../../synth/object.js';
import type { Finding } from '../finding.js';

/** A manifest policy: pure, all objects in (some rules relate objects), findings with paths out. */
export interface ManifestRule {
  readonly id: string;
  readonly description: string;
  readonly check: (objects: readonly KubeObject[]) => Finding[];
}

export const finding = (policy: string, object: KubeObject, path: string, message: string): Finding => ({
  policy,
  severity: 'error',
  target: objectId(object),
  path,
  message,
});
