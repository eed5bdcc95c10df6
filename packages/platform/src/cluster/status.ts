import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { RunwayError } from '../errors.js';
import { type EnvironmentName, imageReference, type ReleasePointer } from '../release/pointer.js';
import { ENV_NAMESPACE_PREFIX, LOCAL_IMAGE_REPOSITORY } from './settings.js';

/** The part of `kubectl get applications -o json` that status reads. */
export const ApplicationList = Type.Object({
  items: Type.Array(
    Type.Object({
      metadata: Type.Object({ name: Type.String() }),
      spec: Type.Object({ destination: Type.Object({ namespace: Type.Optional(Type.String()) }) }),
      status: Type.Optional(
        Type.Object({
          sync: Type.Optional(Type.Object({ status: Type.Optional(Type.String()) })),
          health: Type.Optional(Type.Object({ status: Type.Optional(Type.String()) })),
          summary: Type.Optional(Type.Object({ images: Type.Optional(Type.Array(Type.String())) })),
        }),
      ),
    }),
  ),
});
export type ApplicationList = Static<typeof ApplicationList>;

const checkList = Compile(ApplicationList);

export const parseApplicationList = (text: string): ApplicationList => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunwayError(
      'STATUS_UNREADABLE',
      `kubectl returned something that is not JSON: ${(error as Error).message}`,
    );
  }
  if (!checkList.Check(value)) {
    const first = [...checkList.Errors(value)][0];
    throw new RunwayError(
      'STATUS_UNREADABLE',
      `kubectl returned an unexpected Application list: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(),
    );
  }
  return value;
};

export interface StatusRow {
  readonly application: string;
  readonly sync: string;
  readonly health: string;
  readonly env: string;
  readonly runs: string;
  readonly git: string;
  readonly verdict: string;
}

const short = (reference: string): string =>
  reference.replace(/@sha256:([a-f0-9]{12})[a-f0-9]{52}$/, '@sha256:$1…');

const compare = (images: readonly string[], pointer: ReleasePointer | undefined): string => {
  if (!pointer) return '';
  if (images.length === 0) return 'not running yet';
  if (images.includes(imageReference(pointer))) return 'as in git';
  if (images.some((image) => image.startsWith(`${LOCAL_IMAGE_REPOSITORY}@`)))
    return 'local build (runway up)';
  return 'DIFFERS from git';
};

/** Each Application's sync and health, and for each env what it runs against what its release pointer in git says. */
export const statusRows = (
  list: ApplicationList,
  pointers: ReadonlyMap<EnvironmentName, ReleasePointer>,
): StatusRow[] =>
  list.items
    .map((item) => {
      const namespace = item.spec.destination.namespace ?? '';
      const env = namespace.startsWith(ENV_NAMESPACE_PREFIX)
        ? namespace.slice(ENV_NAMESPACE_PREFIX.length)
        : '';
      const pointer = pointers.get(env as EnvironmentName);
      const images = item.status?.summary?.images ?? [];
      const relevant = pointer ? images.filter((image) => image.includes('/links')) : [];
      return {
        application: item.metadata.name,
        sync: item.status?.sync?.status ?? 'Unknown',
        health: item.status?.health?.status ?? 'Unknown',
        env,
        runs: relevant.map(short).join(', '),
        git: pointer ? short(imageReference(pointer)) : '',
        verdict: compare(relevant, pointer),
      };
    })
    .sort((a, b) => a.application.localeCompare(b.application));

const COLUMNS: readonly [keyof StatusRow, string][] = [
  ['application', 'APPLICATION'],
  ['sync', 'SYNC'],
  ['health', 'HEALTH'],
  ['env', 'ENV'],
  ['runs', 'RUNS'],
  ['git', 'GIT SAYS'],
  ['verdict', ''],
];

export const formatStatus = (rows: readonly StatusRow[]): string => {
  if (rows.length === 0) return 'No Argo CD Applications in the cluster yet: run `npx runway up`.';
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(COLUMNS.map(([, title]) => title)),
    ...rows.map((row) => line(COLUMNS.map(([key]) => row[key]))),
  ].join('\n');
};
