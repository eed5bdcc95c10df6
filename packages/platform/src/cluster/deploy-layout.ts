import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HEALTH_GATE_LABEL } from '../synth/argocd.js';
import { APPLICATIONS_DIR, ENV_NAMESPACE_PREFIX, LOCAL_ENV, ROOT_APP_NAME } from './settings.js';

/** An Argo CD Application the root app creates, as rendered under `deploy/`. */
export interface ChildApplication {
  readonly name: string;
  readonly destinationNamespace: string;
  readonly wave: number;
  /** False for Applications labelled `runway.dev/health-gate: none`: they may stay Degraded until a person acts. */
  readonly gated: boolean;
}

export interface RepositoryFile {
  readonly path: string;
  readonly content: string;
}

interface ApplicationDocument {
  kind?: unknown;
  apiVersion?: unknown;
  metadata?: { name?: unknown; annotations?: Record<string, unknown>; labels?: Record<string, unknown> };
  spec?: { destination?: { namespace?: unknown } };
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const isApplication = (doc: ApplicationDocument | null): doc is ApplicationDocument =>
  doc?.kind === 'Application' && String(doc.apiVersion).startsWith('argoproj.io/');

/** The Applications in rendered files except the root, ordered by sync wave then name (the order Argo CD syncs them). */
export const findApplications = (files: readonly RepositoryFile[]): ChildApplication[] =>
  files
    .filter((file) => /\.ya?ml$/.test(file.path))
    .flatMap((file) =>
      parseAllDocuments(file.content).map((doc) => doc.toJSON() as ApplicationDocument | null),
    )
    .filter(isApplication)
    .flatMap((doc) => {
      const name = asString(doc.metadata?.name);
      if (!name || name === ROOT_APP_NAME) return [];
      const wave = Number(asString(doc.metadata?.annotations?.['argocd.argoproj.io/sync-wave']) ?? '0');
      return [
        {
          name,
          destinationNamespace: asString(doc.spec?.destination?.namespace) ?? '',
          wave: Number.isFinite(wave) ? wave : 0,
          gated: doc.metadata?.labels?.[HEALTH_GATE_LABEL] !== 'none',
        },
      ];
    })
    .sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));

const envOf = (app: ChildApplication): string | undefined =>
  app.destinationNamespace.startsWith(ENV_NAMESPACE_PREFIX)
    ? app.destinationNamespace.slice(ENV_NAMESPACE_PREFIX.length)
    : undefined;

/**
 * The Applications `runway up` waits for: what it created and gates on (the add-ons, Argo CD's config) and the
 * local env's own Applications. Never the ungated ones (the cluster config, the env app-of-apps), which may stay
 * Degraded until a person acts, and never the root, whose health sums them all.
 */
export const applicationsToAwait = (apps: readonly ChildApplication[]): ChildApplication[] =>
  apps.filter((app) => {
    const env = envOf(app);
    return app.gated && (env === undefined || env === LOCAL_ENV);
  });

const listYaml = async (root: string, dir: string): Promise<string[]> => {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const nested = await Promise.all(
    entries.map((entry) => {
      const relative = posix.join(dir, entry.name);
      if (entry.isDirectory()) return listYaml(root, relative);
      return Promise.resolve(/\.ya?ml$/.test(entry.name) ? [relative] : []);
    }),
  );
  return nested.flat();
};

/** Reads the Applications rendered in the working tree's `deploy/`, to wait for each by name. */
export const readApplications = async (root: string): Promise<ChildApplication[]> => {
  const paths = await listYaml(root, APPLICATIONS_DIR);
  return findApplications(
    await Promise.all(
      paths.map(async (path) => ({ path, content: await readFile(join(root, path), 'utf8') })),
    ),
  );
};
