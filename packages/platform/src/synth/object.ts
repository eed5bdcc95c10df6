import { commonLabels } from '../spec/service.js';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rendered Kubernetes object: plain data, validated against its schema and the policies after synth. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** Metadata with the labels every rendered object carries. */
export const meta = (
  name: string,
  namespace: string | undefined,
  labels: Readonly<Record<string, string>> = {},
  annotations?: Readonly<Record<string, string>>,
): ObjectMeta => ({
  name,
  ...(namespace === undefined ? {} : { namespace }),
  labels: { ...commonLabels, ...labels },
  ...(annotations === undefined ? {} : { annotations }),
});

/** `links-prod/Rollout/links`: how findings and errors name an object. */
export const objectId = (object: KubeObject): string =>
  `${object.metadata.namespace ?? '_cluster'}/${object.kind}/${object.metadata.name}`;

/** Argo CD orders a sync by wave (lower first). */
export const syncWave = (wave: number): Record<string, string> => ({
  'argocd.argoproj.io/sync-wave': String(wave),
});

/** Checks a literal against a kubernetes-models type at compile time (a misspelt field fails `tsc`). */
export const typed = <T>(value: T): T => value;
