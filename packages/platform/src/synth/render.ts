import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';
import { RunwayError } from '../errors.js';
import { type Finding, formatFinding } from '../policy/finding.js';
import { checkManifests } from '../policy/manifests/index.js';
import { ENVIRONMENT_NAMES, type EnvironmentName, ReleasePointer } from '../release/pointer.js';
import { type ClusterSpec, clusters } from '../spec/clusters.js';
import { type EnvironmentSpec, environment, environments } from '../spec/environments.js';
import {
  PROD_DATABASE_CA_PATH,
  PROD_DATABASE_INPUTS_PATH,
  ProdDatabaseInputs,
  parseDatabaseCa,
} from '../spec/prod-database.js';
import type { AlertmanagerInputs } from './alertmanager.js';
import { rootApplication } from './argocd.js';
import {
  appObjects,
  argocdObjects,
  environmentAppObjects,
  environmentLocalObjects,
  platformObjects,
} from './cluster.js';
import { environmentObjects } from './environment.js';
import { paths } from './layout.js';
import type { ObservabilityInputs } from './monitoring.js';
import type { KubeObject } from './object.js';
import { validateObjects } from './validate.js';
import type { RenderedFiles } from './write.js';
import { toYaml } from './yaml.js';

export const RULES_PATH = 'observability/rules/links.rules.yaml';
export const DASHBOARDS_DIR = 'observability/dashboards/generated';
export const ALERTMANAGER_CONFIG_PATH = 'observability/alertmanager/alertmanager.yaml';
export const ALERTMANAGER_TEMPLATES_DIR = 'observability/alertmanager/templates';

/** Everything synth reads. Pure rendering starts from here. */
export interface SynthInputs {
  readonly pointers: Readonly<Record<EnvironmentName, ReleasePointer>>;
  readonly prodDatabase: ProdDatabaseInputs;
  /** `deploy-inputs/rds-ca.pem`; undefined until a person commits it (prod's pods then cannot start). */
  readonly prodDatabaseCa: string | undefined;
  readonly observability: ObservabilityInputs;
}

/** One output directory and the objects it holds. */
export interface RenderedDirectory {
  readonly dir: string;
  readonly objects: readonly KubeObject[];
}

/** The environments a cluster hosts, in the spec's order. */
export const hostedEnvironments = (cluster: ClusterSpec): EnvironmentSpec[] =>
  cluster.environments.map(environment);

/** One cluster's tree (decision 17): only what can work on that cluster. */
export const clusterDirectories = (cluster: ClusterSpec, inputs: SynthInputs): RenderedDirectory[] => {
  const hosted = hostedEnvironments(cluster);
  return [
    { dir: paths.argocd(cluster), objects: argocdObjects(cluster, environments) },
    { dir: paths.root(cluster), objects: [rootApplication(cluster)] },
    { dir: paths.apps(cluster), objects: appObjects(cluster, hosted, inputs.observability) },
    { dir: paths.platform(cluster), objects: platformObjects(cluster, hosted, inputs.observability) },
    ...hosted.flatMap((env) => [
      { dir: paths.envApps(cluster, env), objects: environmentAppObjects(cluster, env) },
      { dir: paths.envLocal(cluster, env), objects: environmentLocalObjects(cluster, env) },
    ]),
  ].filter(({ objects }) => objects.length > 0);
};

/** One environment's own objects, the same on every cluster that hosts it. */
export const environmentDirectories = (env: EnvironmentSpec, inputs: SynthInputs): RenderedDirectory[] => {
  const objects = environmentObjects(
    env,
    inputs.pointers[env.name],
    inputs.prodDatabase,
    inputs.prodDatabaseCa,
  );
  return [
    { dir: paths.envBase(env), objects: objects.base },
    { dir: paths.envApp(env), objects: objects.app },
  ];
};

/** Everything that runs on one cluster: its tree and the trees of the environments it hosts. */
export const clusterView = (cluster: ClusterSpec, inputs: SynthInputs): RenderedDirectory[] => [
  ...clusterDirectories(cluster, inputs),
  ...hostedEnvironments(cluster).flatMap((env) => environmentDirectories(env, inputs)),
];

export const renderDirectories = (inputs: SynthInputs): RenderedDirectory[] => [
  ...clusters.flatMap((cluster) => clusterDirectories(cluster, inputs)),
  ...environments.flatMap((env) => environmentDirectories(env, inputs)),
];

export const fileName = (object: KubeObject): string =>
  `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;

/** Pure: inputs → relative path → YAML text, sorted by path. */
export const renderFiles = (inputs: SynthInputs): RenderedFiles => {
  const entries = renderDirectories(inputs).flatMap(({ dir, objects }) =>
    objects.map((object) => [`${dir}/${fileName(object)}`, toYaml(object)] as const),
  );
  const files = new Map<string, string>();
  for (const [path, text] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (files.has(path)) throw new RunwayError('SYNTH_DUPLICATE_FILE', `two objects render to ${path}`);
    files.set(path, text);
  }
  return files;
};

const readJson = async <T>(
  root: string,
  relative: string,
  check: {
    Check(value: unknown): value is T;
    Errors(value: unknown): Iterable<{ instancePath: string; message: string }>;
  },
): Promise<T> => {
  let text: string;
  try {
    text = await readFile(join(root, relative), 'utf8');
  } catch (error) {
    throw new RunwayError('SYNTH_INPUT_MISSING', `cannot read ${relative}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunwayError('SYNTH_INPUT_INVALID', `${relative} is not JSON: ${(error as Error).message}`);
  }
  if (!check.Check(value)) {
    const problems = [...check.Errors(value)].map((error) => `${error.instancePath || '/'} ${error.message}`);
    throw new RunwayError(
      'SYNTH_INPUT_INVALID',
      `${relative} does not match its schema: ${problems.join('; ')}`,
    );
  }
  return value;
};

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

const readAlertmanager = async (root: string): Promise<AlertmanagerInputs | undefined> => {
  let text: string;
  try {
    text = await readFile(join(root, ALERTMANAGER_CONFIG_PATH), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const config: unknown = parse(text);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new RunwayError('SYNTH_INPUT_INVALID', `${ALERTMANAGER_CONFIG_PATH} is not a YAML mapping`);
  const templates = new Map<string, string>();
  const names = await readdir(join(root, ALERTMANAGER_TEMPLATES_DIR)).catch((error: unknown) => {
    if (isMissing(error)) return [];
    throw error;
  });
  for (const name of names.filter((file) => file.endsWith('.tmpl')).sort()) {
    templates.set(name, await readFile(join(root, ALERTMANAGER_TEMPLATES_DIR, name), 'utf8'));
  }
  return { config: config as Record<string, unknown>, templates };
};

/** observability/ is written by another part of the repository; synth uses what exists. */
const readObservability = async (root: string): Promise<ObservabilityInputs> => {
  let rules: ObservabilityInputs['rules'];
  try {
    const parsed = parse(await readFile(join(root, RULES_PATH), 'utf8')) as { groups?: unknown[] };
    if (!Array.isArray(parsed?.groups))
      throw new RunwayError('SYNTH_INPUT_INVALID', `${RULES_PATH} has no groups`);
    rules = { groups: parsed.groups };
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const dashboards = new Map<string, string>();
  try {
    for (const name of (await readdir(join(root, DASHBOARDS_DIR)))
      .filter((file) => file.endsWith('.json'))
      .sort()) {
      dashboards.set(
        name.slice(0, -'.json'.length),
        await readFile(join(root, DASHBOARDS_DIR, name), 'utf8'),
      );
    }
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const alertmanager = await readAlertmanager(root);
  return {
    dashboards,
    ...(rules === undefined ? {} : { rules }),
    ...(alertmanager === undefined ? {} : { alertmanager }),
  };
};

/** The committed RDS CA bundle, checked; undefined when none is committed yet. */
const readDatabaseCa = async (root: string): Promise<string | undefined> => {
  let pem: string;
  try {
    pem = await readFile(join(root, PROD_DATABASE_CA_PATH), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const parsed = parseDatabaseCa(pem);
  if (typeof parsed === 'string') {
    throw new RunwayError(
      'SYNTH_INPUT_INVALID',
      `${PROD_DATABASE_CA_PATH} ${parsed}`,
      "Download the region's bundle again (docs/aws.md, step 8) and commit it.",
    );
  }
  return pem;
};

const pointerSchema = Compile(ReleasePointer);
const prodDatabaseSchema = Compile(ProdDatabaseInputs);

export const readInputs = async (root: string): Promise<SynthInputs> => {
  const entries = await Promise.all(
    ENVIRONMENT_NAMES.map(
      async (env) => [env, await readJson(root, `deploy/releases/${env}.json`, pointerSchema)] as const,
    ),
  );
  for (const [env, pointer] of entries) {
    if (pointer.env !== env)
      throw new RunwayError('SYNTH_INPUT_INVALID', `deploy/releases/${env}.json names env ${pointer.env}`);
  }
  return {
    pointers: Object.fromEntries(entries) as Record<EnvironmentName, ReleasePointer>,
    prodDatabase: await readJson(root, PROD_DATABASE_INPUTS_PATH, prodDatabaseSchema),
    prodDatabaseCa: await readDatabaseCa(root),
    observability: await readObservability(root),
  };
};

/** Schema findings and manifest-policy findings over every rendered object; empty when deploy/ may ship. */
export const verifyObjects = async (objects: readonly KubeObject[]): Promise<Finding[]> => [
  ...(await validateObjects(objects)),
  ...checkManifests(objects),
];

/** Reads the synth inputs under `root` and renders every file of `deploy/`; refuses output that fails a check. */
export const renderDeploy = async (root: string): Promise<RenderedFiles> => {
  const inputs = await readInputs(root);
  const findings = await verifyObjects(renderDirectories(inputs).flatMap(({ objects }) => objects));
  if (findings.length > 0) {
    throw new RunwayError(
      'SYNTH_INVALID_OUTPUT',
      `the rendered manifests have ${findings.length} problem(s):\n${findings.map(formatFinding).join('\n')}`,
      'Fix the spec in packages/platform/src/spec (or the synth code), then run `npx runway synth` again.',
    );
  }
  return renderFiles(inputs);
};
