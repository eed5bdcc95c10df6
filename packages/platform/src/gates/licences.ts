import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';
import type { GateFinding } from './finding.js';
import { isLicenceAllowed } from './spdx.js';

/**
 * Licences of a service's production dependencies, read from package-lock.json (npm records each package's
 * `license` there), checked against the allowlist in `.runway/licences.yaml`. Pure: lockfile and allowlist
 * in, findings out. A licence outside the list, or none at all, blocks unless an exception names
 * `licence:<name>@<version>`.
 */
export const LICENCES_FILE = '.runway/licences.yaml';

export const LicencePolicy = Type.Object(
  { allowed: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) },
  { additionalProperties: false },
);
const checkPolicy = Compile(LicencePolicy);

const LockEntry = Type.Object({
  name: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  license: Type.Optional(Type.Unknown()),
  link: Type.Optional(Type.Boolean()),
  resolved: Type.Optional(Type.String()),
  dev: Type.Optional(Type.Boolean()),
  dependencies: Type.Optional(Type.Record(Type.String(), Type.String())),
  optionalDependencies: Type.Optional(Type.Record(Type.String(), Type.String())),
  peerDependencies: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export const Lockfile = Type.Object({ packages: Type.Record(Type.String(), LockEntry) });
export type Lockfile = Static<typeof Lockfile>;
const checkLockfile = Compile(Lockfile);

export const parseLicencePolicy = (text: string): Set<string> | string => {
  const data: unknown = parse(text);
  if (!checkPolicy.Check(data)) return `${LICENCES_FILE} must be a mapping with a non-empty "allowed:" list`;
  return new Set(data.allowed);
};

export const parseLockfile = (text: string): Lockfile | string => {
  const data: unknown = JSON.parse(text);
  return checkLockfile.Check(data)
    ? data
    : 'package-lock.json has no "packages" map (lockfileVersion 2 or 3 needed)';
};

/** Node's resolution over lockfile keys: `a/node_modules/b` sees its own node_modules, then its parents'. */
const resolve = (lockfile: Lockfile, from: string, name: string): string | undefined => {
  let location = from;
  for (;;) {
    const candidate = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (lockfile.packages[candidate]) return candidate;
    if (location === '') return undefined;
    const nested = /^(.*)\/node_modules\/(@[^/]+\/)?[^/]+$/.exec(location);
    location = nested
      ? (nested[1] ?? '')
      : location.includes('/')
        ? location.slice(0, location.lastIndexOf('/'))
        : '';
  }
};

export interface ProductionPackage {
  readonly location: string;
  readonly name: string;
  readonly version: string;
  readonly license: unknown;
}

/** The production closure of the package at `root` (a lockfile key: '' or a workspace path such as `apps/links`). */
export const productionPackages = (lockfile: Lockfile, root: string): ProductionPackage[] => {
  const seen = new Map<string, ProductionPackage>();
  const visit = (location: string): void => {
    const entry = lockfile.packages[location];
    if (!entry) return;
    const dependencies = { ...entry.dependencies, ...entry.peerDependencies, ...entry.optionalDependencies };
    for (const name of Object.keys(dependencies)) {
      let target = resolve(lockfile, location, name);
      const linked = target ? lockfile.packages[target] : undefined;
      if (linked?.link && linked.resolved !== undefined) target = linked.resolved;
      if (target === undefined || seen.has(target)) continue;
      const resolved = lockfile.packages[target];
      const version = resolved?.version ?? '0.0.0';
      seen.set(target, { location: target, name, version, license: resolved?.license });
      visit(target);
    }
  };
  visit(root);
  return [...seen.values()];
};

const licenceText = (license: unknown): string | undefined => {
  if (typeof license === 'string') return license;
  if (license && typeof license === 'object' && 'type' in license && typeof license.type === 'string') {
    return license.type;
  }
  return undefined;
};

export const licenceFindings = (
  packages: readonly ProductionPackage[],
  allowed: ReadonlySet<string>,
  lockfilePath: string,
): GateFinding[] =>
  packages.flatMap((pkg): GateFinding[] => {
    const licence = licenceText(pkg.license);
    if (licence !== undefined && isLicenceAllowed(licence, allowed)) return [];
    const id = `licence:${pkg.name}@${pkg.version}`;
    return [
      {
        check: 'licences',
        policy: licence === undefined ? 'licences/unknown' : 'licences/not-allowed',
        severity: 'error',
        target: `${pkg.name}@${pkg.version}`,
        path: pkg.location,
        message:
          licence === undefined
            ? `no licence declared: find it and accept it in .runway/exceptions.yaml as ${id}, or replace the package`
            : `licence "${licence}" is not in ${LICENCES_FILE}: replace the package, or accept it as ${id}`,
        exceptionId: id,
        file: lockfilePath,
      },
    ];
  });
