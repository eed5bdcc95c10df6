import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { argocdCm } from '../src/synth/argocd-config.js';

const run = promisify(execFile);

/** A JSON value as a Lua table literal, the shape Argo CD hands a health script as `obj`. */
const toLua = (value: unknown): string => {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(', ')}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, field]) => `[${JSON.stringify(key)}] = ${toLua(field)}`)
    .join(', ')}}`;
};

/** Runs a health script with the real Lua 5.1 (the dialect of Argo CD's gopher-lua). */
const health = async (script: string, obj: unknown): Promise<{ status: string; message: string }> => {
  const program = `local obj = ${toLua(obj)}\nlocal function check()\n${script}\nend\nlocal hs = check()\nio.write(hs.status, "|", hs.message)`;
  const { stdout } = await run('lua5.1', ['-e', program]);
  const [status = '', message = ''] = stdout.split('|');
  return { status, message };
};

const scripts = argocdCm().data as Record<string, string>;

describe('Argo CD health checks synth adds (run with lua5.1)', () => {
  const application = scripts['resource.customizations.health.argoproj.io_Application'] as string;
  const cnpg = scripts['resource.customizations.health.postgresql.cnpg.io_Cluster'] as string;

  it('a child Application reports its own health, so sync waves wait for add-ons', async () => {
    expect(
      await health(application, { status: { health: { status: 'Degraded', message: 'crash' } } }),
    ).toEqual({
      status: 'Degraded',
      message: 'crash',
    });
    expect(await health(application, { status: { health: { status: 'Healthy' } } })).toEqual({
      status: 'Healthy',
      message: '',
    });
    expect((await health(application, {})).status).toBe('Progressing');
  });

  it('an ungated child (cluster config, an env app-of-apps) reports Healthy, so no wave or parent waits on it', async () => {
    const ungated = { metadata: { labels: { 'runway.dev/health-gate': 'none' } } };
    expect(
      await health(application, {
        ...ungated,
        status: { health: { status: 'Degraded', message: 'no secret' } },
      }),
    ).toEqual({ status: 'Healthy', message: 'not gated; its own health: Degraded' });
    // A health block with no status yet (an Application just created) must not make the script fail.
    expect(await health(application, { ...ungated, status: { health: {} } })).toEqual({
      status: 'Healthy',
      message: 'not gated; its own health: nil',
    });
    expect(
      await health(application, {
        metadata: { labels: { env: 'dev' } },
        status: { health: { status: 'Degraded' } },
      }),
    ).toEqual({ status: 'Degraded', message: '' });
  });

  it('a CloudNativePG cluster is healthy only once the operator says so', async () => {
    expect(await health(cnpg, { status: { phase: 'Cluster in healthy state' } })).toEqual({
      status: 'Healthy',
      message: 'Cluster in healthy state',
    });
    expect(await health(cnpg, { status: { phase: 'Setting up primary' } })).toEqual({
      status: 'Progressing',
      message: 'Setting up primary',
    });
    expect(await health(cnpg, {})).toEqual({ status: 'Progressing', message: 'waiting for the database' });
  });
});
