import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Compile } from 'typebox/compile';
import { parseAllDocuments } from 'yaml';
import { RunwayError } from '../errors.js';
import { ReleasePointer } from '../release/pointer.js';
import {
  APPLICATIONS_DIR,
  ENV_NAMESPACE_PREFIX,
  LOCAL_ENV,
  RELEASED_IMAGE_REPOSITORY_FALLBACK,
  RELEASES_DIR,
  ROOT_APP_PATH,
} from './settings.js';

/** An Argo CD Application that the root app creates, as rendered under `deploy/`. */
export interface ChildApplication {
  readonly name: string;
  readonly destinationNamespace: string;
  readonly repoURL: string;
  /** A git directory source (this repository) rather than a Helm chart. */
  readonly fromThisRepository: boolean;
  readonly path?: string;
  readonly wave: number;
  /** Whether `path` has a kustomization.yaml, so Argo CD can substitute the image (kustomize.images). */
  readonly kustomize: boolean;
}

export interface DeployLayout {
  readonly applications: readonly ChildApplication[];
  /** The image repository the release pointer of the local env names (what the local build replaces). */
  readonly releasedImageRepository: string;
}

export interface RepositoryFile {
  readonly path: string;
  readonly content: string;
}

interface ApplicationDocument {
  kind?: unknown;
  apiVersion?: unknown;
  metadata?: { name?: unknown; annotations?: Record<string, unknown> };
  spec?: {
    destination?: { namespace?: unknown };
    source?: { repoURL?: unknown; path?: unknown; chart?: unknown };
  };
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const toChild = (doc: ApplicationDocument, files: ReadonlySet<string>): ChildApplication | undefined => {
  const name = asString(doc.metadata?.name);
  const source = doc.spec?.source;
  const repoURL = asString(source?.repoURL);
  if (!name || !repoURL) return undefined;
  const path = asString(source?.path);
  const wave = Number(asString(doc.metadata?.annotations?.['argocd.argoproj.io/sync-wave']) ?? '0');
  const kustomize =
    path !== undefined &&
    ['kustomization.yaml', 'kustomization.yml'].some((file) => files.has(posix.join(path, file)));
  return {
    name,
    destinationNamespace: asString(doc.spec?.destination?.namespace) ?? '',
    repoURL,
    fromThisRepository: path !== undefined && source?.chart === undefined,
    ...(path === undefined ? {} : { path }),
    wave: Number.isFinite(wave) ? wave : 0,
    kustomize,
  };
};

/** Finds the Applications in rendered files, ordered by sync wave then name; roots (syncing the root path) excluded. */
export const findApplications = (
  files: readonly RepositoryFile[],
  allPaths: ReadonlySet<string>,
): ChildApplication[] =>
  files
    .filter((file) => /\.ya?ml$/.test(file.path))
    .flatMap((file) =>
      parseAllDocuments(file.content).map((doc) => doc.toJSON() as ApplicationDocument | null),
    )
    .filter(
      (doc): doc is ApplicationDocument =>
        doc?.kind === 'Application' && String(doc.apiVersion).startsWith('argoproj.io/'),
    )
    .map((doc) => toChild(doc, allPaths))
    .filter((app): app is ChildApplication => app !== undefined && app.path !== ROOT_APP_PATH)
    .sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));

const envOf = (app: ChildApplication): string | undefined =>
  app.destinationNamespace.startsWith(ENV_NAMESPACE_PREFIX)
    ? app.destinationNamespace.slice(ENV_NAMESPACE_PREFIX.length)
    : undefined;

/** The Applications `runway up` waits for locally: every add-on and the local env (staging/prod need the cloud). */
export const applicationsToAwait = (apps: readonly ChildApplication[]): ChildApplication[] =>
  apps.filter((app) => {
    const env = envOf(app);
    return env === undefined || env === LOCAL_ENV;
  });

export const localEnvApplication = (apps: readonly ChildApplication[]): ChildApplication | undefined =>
  apps.find((app) => envOf(app) === LOCAL_ENV);

const checkPointer = Compile(ReleasePointer);

export const parseReleasePointer = (text: string, source: string): ReleasePointer => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunwayError('POINTER_INVALID', `${source} is not JSON: ${(error as Error).message}`);
  }
  if (!checkPointer.Check(value)) {
    const first = [...checkPointer.Errors(value)][0];
    throw new RunwayError(
      'POINTER_INVALID',
      `${source} is not a release pointer: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(),
    );
  }
  return value;
};

const listFiles = async (root: string, dir: string): Promise<string[]> => {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(join(root, dir), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = posix.join(dir, entry.name);
      return entry.isDirectory() ? listFiles(root, relative) : Promise.resolve([relative]);
    }),
  );
  return nested.flat();
};

/** Reads `deploy/` of the working tree: the Applications to wait for and the local env's image repository. */
export const readDeployLayout = async (root: string): Promise<DeployLayout> => {
  const paths = await listFiles(root, APPLICATIONS_DIR);
  const yamlPaths = paths.filter((path) => /\.ya?ml$/.test(path));
  const files = await Promise.all(
    yamlPaths.map(async (path) => ({ path, content: await readFile(join(root, path), 'utf8') })),
  );
  const pointerPath = posix.join(RELEASES_DIR, `${LOCAL_ENV}.json`);
  const pointer = paths.includes(pointerPath)
    ? parseReleasePointer(await readFile(join(root, pointerPath), 'utf8'), pointerPath)
    : undefined;
  return {
    applications: findApplications(files, new Set(paths)),
    releasedImageRepository: pointer?.image ?? RELEASED_IMAGE_REPOSITORY_FALLBACK,
  };
};
