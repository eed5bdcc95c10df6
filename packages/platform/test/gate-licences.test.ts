import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Lockfile,
  licenceFindings,
  parseLicencePolicy,
  parseLockfile,
  productionPackages,
} from '../src/gates/licences.js';
import { isLicenceAllowed } from '../src/gates/spdx.js';

const ALLOWED = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause']);

describe('SPDX expressions', () => {
  it.each([
    ['MIT', true],
    ['GPL-3.0-only', false],
    ['(MIT OR GPL-3.0-only)', true],
    ['MIT AND GPL-3.0-only', false],
    ['(MIT AND ISC) OR GPL-2.0', true],
    ['MIT AND (ISC OR GPL-2.0)', true],
    ['Apache-2.0 WITH LLVM-exception', false],
    ['SEE LICENSE IN LICENSE.md', false],
    ['UNLICENSED', false],
    ['(MIT', false],
    ['', false],
  ])('%s → %s', (expression, allowed) => {
    expect(isLicenceAllowed(expression, ALLOWED)).toBe(allowed);
  });

  it('allows an exception expression only when listed whole', () => {
    expect(
      isLicenceAllowed('Apache-2.0 WITH LLVM-exception', new Set(['Apache-2.0 WITH LLVM-exception'])),
    ).toBe(true);
  });
});

/** A workspace project: apps/svc depends on a, which nests its own b; c is dev-only; gpl is a prod dependency. */
const lockfile: Lockfile = {
  packages: {
    '': { name: 'root', dependencies: {} },
    'apps/svc': { name: '@x/svc', dependencies: { a: '^1', gpl: '1.0.0', mystery: '1' } },
    'node_modules/@x/svc': { resolved: 'apps/svc', link: true },
    'node_modules/a': { version: '1.0.0', license: 'MIT', dependencies: { b: '^2' } },
    'node_modules/a/node_modules/b': { version: '2.0.0', license: '(MIT OR Apache-2.0)' },
    'node_modules/b': { version: '1.0.0', license: 'WTFPL' },
    'node_modules/c': { version: '1.0.0', license: 'AGPL-3.0-only', dev: true },
    'node_modules/gpl': { version: '1.0.0', license: 'GPL-3.0-only' },
    'node_modules/mystery': { version: '1.0.0' },
  },
};

describe('production dependencies from the lockfile', () => {
  it('walks the service closure with Node resolution (nested first), skipping dev-only and unrelated packages', () => {
    const packages = productionPackages(lockfile, 'apps/svc');
    expect(packages.map((pkg) => pkg.location).sort()).toEqual([
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/gpl',
      'node_modules/mystery',
    ]);
  });

  it('blocks a GPL-only dependency and one with no licence, each waivable by licence:<name>@<version>', () => {
    const findings = licenceFindings(productionPackages(lockfile, 'apps/svc'), ALLOWED, 'package-lock.json');
    expect(findings.map((f) => [f.policy, f.severity, f.exceptionId])).toEqual([
      ['licences/not-allowed', 'error', 'licence:gpl@1.0.0'],
      ['licences/unknown', 'error', 'licence:mystery@1.0.0'],
    ]);
    expect(findings[0]?.message).toContain('"GPL-3.0-only" is not in .runway/licences.yaml');
  });

  it('rejects a malformed allowlist and a lockfile without packages', () => {
    expect(parseLicencePolicy('allowed: []')).toMatch(/non-empty "allowed:" list/);
    expect(parseLicencePolicy('allowed: [MIT]')).toEqual(new Set(['MIT']));
    expect(parseLockfile('{"lockfileVersion":1,"dependencies":{}}')).toMatch(/lockfileVersion 2 or 3/);
  });

  it("passes this repository's services against the committed allowlist", () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const repoLock = parseLockfile(readFileSync(`${root}package-lock.json`, 'utf8'));
    const allowed = parseLicencePolicy(readFileSync(`${root}.runway/licences.yaml`, 'utf8'));
    if (typeof repoLock === 'string' || typeof allowed === 'string') throw new Error('unreadable config');
    const packages = productionPackages(repoLock, 'apps/links');
    expect(packages.length).toBeGreaterThan(20);
    expect(licenceFindings(packages, allowed, 'package-lock.json')).toEqual([]);
  });
});
