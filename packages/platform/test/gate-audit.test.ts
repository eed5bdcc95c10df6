import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditFindings, runNpmAudit } from '../src/gates/audit.js';
import { applyExceptions } from '../src/gates/exceptions.js';
import { type FakeRegistry, LODASH_ADVISORY, startFakeRegistry } from './fixtures/gate/fake-registry.js';

// npm's advisory endpoint refuses on this machine, so npm audit asks a loopback registry that answers with a
// recorded advisory; everything else (npm's tree, range and fix computation, our parsing) is real.
const PROJECT = fileURLToPath(new URL('./fixtures/gate/vulnerable-project/', import.meta.url));

let registry: FakeRegistry | undefined;
// npm caches what it computed per advisory; a fresh cache keeps each answer independent of the last one.
let cache = '';
beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'runway-npm-cache-'));
  process.env.npm_config_cache = cache;
});
afterAll(async () => {
  delete process.env.npm_config_cache;
  await rm(cache, { recursive: true, force: true });
});
afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

const audit = async (answers: Parameters<typeof startFakeRegistry>[0]) => {
  registry = await startFakeRegistry(answers);
  await rm(cache, { recursive: true, force: true });
  return auditFindings(await runNpmAudit({ root: PROJECT, registry: registry.url }), 'package-lock.json');
};

describe('dependency audit against a loopback advisory server', () => {
  it('blocks a HIGH advisory with a fix, and says which upgrade fixes it', async () => {
    const findings = await audit({
      advisories: { lodash: [LODASH_ADVISORY] },
      packuments: { lodash: ['4.17.20', '4.17.21'] },
    });
    expect(registry?.requests).toContainEqual({
      method: 'POST',
      url: '/-/npm/v1/security/advisories/bulk',
      body: { lodash: ['4.17.20'] },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'dependencies',
      severity: 'error',
      path: 'GHSA-35jh-r3h4-6jhm',
      target: 'lodash <4.17.21',
    });
    expect(findings[0]?.message).toContain('upgrade lodash to 4.17.21');
    expect(findings[0]?.exceptionId).toBeUndefined();
  });

  it('blocks a HIGH advisory with no fix unless an exception names it', async () => {
    const findings = await audit({
      advisories: { lodash: [LODASH_ADVISORY] },
      packuments: { lodash: ['4.17.20'] },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', exceptionId: 'GHSA-35jh-r3h4-6jhm' });
    expect(findings[0]?.message).toContain('no fix exists');
    const exception = {
      id: 'GHSA-35jh-r3h4-6jhm',
      reason: 'template() is never called',
      owner: '@sec',
      expires: '2099-01-01',
    };
    const applied = applyExceptions(findings, [exception]);
    expect(applied.findings).toEqual([]);
    expect(applied.waived[0]?.waivedBy.id).toBe('GHSA-35jh-r3h4-6jhm');
  });

  it('reports a moderate advisory as a warning only', async () => {
    const findings = await audit({
      advisories: { lodash: [{ ...LODASH_ADVISORY, severity: 'moderate' }] },
      packuments: { lodash: ['4.17.20', '4.17.21'] },
    });
    expect(findings.map((finding) => finding.severity)).toEqual(['warning']);
  });

  it('passes a project with no advisories', async () => {
    expect(await audit({ advisories: {}, packuments: {} })).toEqual([]);
  });

  it('fails, loudly, when the advisory endpoint refuses (the situation on this machine)', async () => {
    const findings = await audit({ advisories: 405 });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ policy: 'dependencies/audit-unavailable', severity: 'error' });
    expect(findings[0]?.message).toMatch(/405.*NOT checked/);
  });
});

describe('auditFindings (pure)', () => {
  it('keeps "audit unavailable" in the report as a warning only under --audit-unavailable-ok', () => {
    const [tolerated] = auditFindings('', 'package-lock.json', true);
    expect(tolerated).toMatchObject({ policy: 'dependencies/audit-unavailable', severity: 'warning' });
    expect(tolerated?.message).toContain('NOT checked (--audit-unavailable-ok)');
    expect(auditFindings('', 'package-lock.json')[0]?.message).toContain('never in CI');
  });

  it('treats output that is not an audit report as "audit unavailable", never as clean', () => {
    expect(auditFindings('', 'package-lock.json')[0]?.policy).toBe('dependencies/audit-unavailable');
    expect(auditFindings('{"error":{"summary":"ENOLOCK"}}', 'package-lock.json')[0]?.message).toContain(
      'ENOLOCK',
    );
  });

  it('reports an advisory once even when several packages are reached through it', () => {
    const via = {
      source: 1,
      name: 'a',
      title: 't',
      url: 'https://github.com/advisories/GHSA-xxxx-xxxx-xxxx',
      severity: 'critical',
      range: '<2',
    };
    const report = {
      auditReportVersion: 2,
      vulnerabilities: {
        a: { name: 'a', severity: 'critical', via: [via], fixAvailable: true },
        b: { name: 'b', severity: 'critical', via: ['a'], fixAvailable: true },
      },
    };
    const findings = auditFindings(JSON.stringify(report), 'package-lock.json');
    expect(findings.map((finding) => finding.path)).toEqual(['GHSA-xxxx-xxxx-xxxx']);
    expect(findings[0]?.message).toContain('npm audit fix');
  });
});
