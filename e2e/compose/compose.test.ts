// compose.yaml cannot run here (no Docker), so it is checked statically: against the Compose Specification
// schema, against the repository (every mounted file exists), against the runtime contract (ports, commands,
// users), and its Prometheus config through the real promtool. The secrets generator runs for real.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');
const composeText = readFileSync(join(repoRoot, 'compose.yaml'), 'utf8');
// Vendored from compose-spec/compose-spec schema/compose-spec.json at 170098ba07d9f53c383a41bfd4c5166b0a4529a6
// (Apache-2.0), reformatted by Biome; content unchanged.
const composeSchema = JSON.parse(readFileSync(join(repoRoot, 'compose/compose-spec.schema.json'), 'utf8'));

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  network_mode?: string;
  restart?: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
}

const load = (text: string): Compose => parse(text, { merge: true });
const compose = load(composeText);
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};
const oneShot = new Set(['secrets', 'migrate']);
const longRunning = Object.keys(compose.services).filter((name) => !oneShot.has(name));

// The schema names its draft by an https URL Ajv does not know; Ajv's default dialect is that draft (07).
// strict: false because the schema uses annotations outside draft 07 (`deprecated`).
const { $schema: _draft07, ...composeSchemaBody } = composeSchema;
const validate = new Ajv({ strict: false, allErrors: true }).compile(composeSchemaBody);
const schemaErrors = (document: unknown): string[] => {
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

/** host path → container path of every bind mount of a service (`./x:/y[:ro]`). */
const bindMounts = (s: Service): Map<string, string> =>
  new Map(
    (s.volumes ?? [])
      .filter((volume) => volume.startsWith('./'))
      .map((volume) => {
        const [host = '', container = ''] = volume.split(':');
        return [host.slice(2), container];
      }),
  );

/** Where a service mounts the named volume `volume`. */
const volumeTarget = (s: Service, volume: string): string | undefined =>
  (s.volumes ?? []).find((entry) => entry.startsWith(`${volume}:`))?.split(':')[1];

const scratch = mkdtempSync(join(tmpdir(), 'runway-compose-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('fails the schema on a misspelt key (the check bites)', () => {
    const broken = load(composeText.replace('stop_grace_period: 30s', 'stop_grace_periods: 30s'));
    expect(schemaErrors(broken).join('\n')).toContain('must NOT have additional properties');
  });

  it('runs links, PostgreSQL, a one-shot migration, Prometheus, Alertmanager and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['alertmanager', 'grafana', 'links', 'migrate', 'postgres', 'prometheus', 'secrets'].sort(),
    );
  });

  it('pins every pulled image by digest and builds links from its Dockerfile', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.build) {
        expect(existsSync(join(repoRoot, s.build.context, s.build.dockerfile)), name).toBe(true);
      } else {
        expect(s.image, name).toMatch(/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
      }
    }
  });

  it('mounts only files and folders that exist in the repository', () => {
    const sources = Object.values(compose.services).flatMap((s) => [...bindMounts(s).keys()]);
    expect(sources.length).toBeGreaterThan(4);
    for (const source of sources) expect(existsSync(join(repoRoot, source)), source).toBe(true);
  });

  it('runs the image commands of the runtime contract, with secrets from the generated env file', () => {
    const envFile = '--env-file=/run/secrets/generated/links.env';
    expect(service('links').command).toEqual([envFile, 'dist/main.js']);
    expect(service('migrate').command).toEqual([envFile, 'dist/cli.js', 'migrate']);
    expect(service('links').environment).toMatchObject({
      NODE_ENV: 'production',
      PORT: '8080',
      OPS_PORT: '9464',
    });
  });

  it('publishes the documented ports on loopback only, never the ops port', () => {
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(published.map((port) => port.split(':')[1]).sort()).toEqual(['3000', '8080', '9090', '9093']);
    expect(service('links').ports).toEqual(['127.0.0.1:8080:8080']);
    expect(published.some((port) => port.endsWith(':9464'))).toBe(false);
  });

  it('hardens every service: read-only root, no capabilities, no privilege gain, a non-root user', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.read_only, name).toBe(true);
      expect(s.cap_drop, name).toEqual(['ALL']);
      expect(s.security_opt, name).toContain('no-new-privileges:true');
      if (name === 'secrets') continue;
      expect(s.user ?? 'image user', name).not.toMatch(/^(0|root)(:|$)/);
    }
    // The generator alone starts as root, to hand each file to its reader; it gets CHOWN only and no network.
    expect(service('secrets').cap_add).toEqual(['CHOWN']);
    expect(service('secrets').network_mode).toBe('none');
  });

  it('checks the health of every long-running service and starts them in order', () => {
    for (const name of longRunning) expect(service(name).healthcheck?.test[0], name).toBe('CMD');
    expect(service('links').depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(service('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('postgres').depends_on).toEqual({
      secrets: { condition: 'service_completed_successfully' },
    });
    expect(service('links').healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/readyz');
  });

  it('writes no secret inline: passwords and URLs with credentials come from generated files', () => {
    const environment = Object.values(compose.services).flatMap((s) => Object.entries(s.environment ?? {}));
    for (const [key, value] of environment) {
      if (/PASSWORD|SECRET|TOKEN|KEY/.test(key)) {
        expect(key, `${key} must be a _FILE reference`).toMatch(/_FILE$/);
        expect(value).toMatch(/^\/run\/secrets\/generated\//);
      }
      expect(value, key).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
    }
    const keys = environment.map(([key]) => key);
    expect(keys).not.toContain('DATABASE_URL');
    expect(keys).not.toContain('SESSION_SECRET');
  });

  it('wires Grafana to Prometheus and to the generated dashboards', () => {
    const grafana = bindMounts(service('grafana'));
    const provisioning = 'compose/grafana/provisioning';
    expect(grafana.get(provisioning)).toBe('/etc/grafana/provisioning');
    const provider = parse(readFileSync(join(repoRoot, provisioning, 'dashboards/runway.yaml'), 'utf8'));
    expect(provider.providers[0].options.path).toBe(grafana.get('observability/dashboards/generated'));
    const datasource = parse(
      readFileSync(join(repoRoot, provisioning, 'datasources/prometheus.yaml'), 'utf8'),
    );
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
  });
});

describe('compose/prometheus.yml', () => {
  const config = parse(readFileSync(join(repoRoot, 'compose/prometheus.yml'), 'utf8'));

  it('scrapes links on its ops port with the labels the rules expect, and alerts to Alertmanager', () => {
    const links = config.scrape_configs.find((job: { job_name: string }) => job.job_name === 'links');
    expect(links.static_configs[0].targets).toEqual([`links:${service('links').environment?.OPS_PORT}`]);
    expect(Object.keys(links.static_configs[0].labels).sort()).toEqual(['env', 'namespace', 'pod']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(bindMounts(service('prometheus')).get('observability/rules')).toBe('/etc/prometheus/rules');
  });

  it('passes promtool check config, rules included, laid out as in the container', async () => {
    // In the container the config sits at /etc/prometheus with the rules folder next to it.
    const dir = mkdtempSync(join(scratch, 'etc-'));
    writeFileSync(join(dir, 'prometheus.yml'), readFileSync(join(repoRoot, 'compose/prometheus.yml')));
    symlinkSync(join(repoRoot, 'observability/rules'), join(dir, 'rules'));
    const { stdout } = await run('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('fails promtool on a broken config (the check bites)', async () => {
    const dir = mkdtempSync(join(scratch, 'broken-'));
    writeFileSync(
      join(dir, 'prometheus.yml'),
      'scrape_configs:\n  - job_name: links\n    scrape_interval: soon\n',
    );
    await expect(run('promtool', ['check', 'config', join(dir, 'prometheus.yml')])).rejects.toThrow(/FAILED/);
  });
});

describe('compose/generate-secrets.sh', () => {
  const script = join(repoRoot, 'compose/generate-secrets.sh');
  const me = process.getuid?.() ?? 0;
  // As root, run it as the `secrets` service does: root with CAP_CHOWN only and no-new-privileges, handing each
  // file to its reader. Otherwise the owners are overridden to the current user.
  const asContainer = me === 0;
  const owners: Record<string, number> = asContainer
    ? {
        'postgres-password': 70,
        'grafana-admin-password': 472,
        'links.env': 10001,
        'alertmanager-slack/paging-webhook-url': 65534,
        'alertmanager-slack/alerts-webhook-url': 65534,
      }
    : Object.fromEntries(
        [
          'postgres-password',
          'grafana-admin-password',
          'links.env',
          'alertmanager-slack/paging-webhook-url',
          'alertmanager-slack/alerts-webhook-url',
        ].map((file) => [file, me]),
      );
  const generate = (dir: string) =>
    asContainer
      ? run(
          'setpriv',
          ['--no-new-privs', '--bounding-set=-all,+chown', '--inh-caps=-all', 'sh', script, dir],
          {
            env: { PATH: process.env.PATH },
          },
        )
      : run('sh', [script, dir], {
          env: {
            PATH: process.env.PATH,
            POSTGRES_UID: `${me}`,
            LINKS_UID: `${me}`,
            GRAFANA_UID: `${me}`,
            ALERTMANAGER_UID: `${me}`,
          },
        });
  const envFileValues = async (file: string): Promise<Record<string, string>> => {
    const script =
      'console.log(JSON.stringify({ url: process.env.DATABASE_URL, secret: process.env.SESSION_SECRET }))';
    const { stdout } = await run(process.execPath, [`--env-file=${file}`, '-e', script], { env: {} });
    return JSON.parse(stdout);
  };

  it('generates owner-only secrets that agree with each other, which node --env-file reads', async () => {
    const dir = mkdtempSync(join(scratch, 'secrets-'));
    await generate(dir);
    for (const [file, owner] of Object.entries(owners)) {
      const stats = statSync(join(dir, file));
      expect(stats.mode & 0o777, file).toBe(0o400);
      expect(stats.uid, file).toBe(owner);
    }
    const password = readFileSync(join(dir, 'postgres-password'), 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    const { url, secret } = await envFileValues(join(dir, 'links.env'));
    expect(url).toBe(`postgres://links:${password}@postgres:5432/links`);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates the Slack webhook files where the mounted Alertmanager config reads them', async () => {
    const dir = mkdtempSync(join(scratch, 'alertmanager-'));
    await generate(dir);
    const alertmanager = service('alertmanager');
    const config = parse(
      readFileSync(join(repoRoot, 'observability/alertmanager/alertmanager.yaml'), 'utf8'),
    );
    const files: string[] = config.receivers.flatMap(
      (receiver: { slack_configs?: { api_url_file: string }[] }) =>
        (receiver.slack_configs ?? []).map((slack) => slack.api_url_file),
    );
    const mountedAt = volumeTarget(alertmanager, 'secrets');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file.startsWith(`${mountedAt}/`), file).toBe(true);
      expect(existsSync(join(dir, file.slice(`${mountedAt}/`.length))), file).toBe(true);
    }
    const templates = bindMounts(alertmanager).get('observability/alertmanager/templates');
    for (const glob of config.templates) expect(glob).toMatch(new RegExp(`^${templates}/[^/]+$`));
  });

  it('keeps existing secrets on a second run (PostgreSQL keeps its first password)', async () => {
    const dir = mkdtempSync(join(scratch, 'again-'));
    await generate(dir);
    const first = readFileSync(join(dir, 'links.env'), 'utf8');
    const { stdout } = await generate(dir);
    expect(stdout).toContain('already present');
    expect(readFileSync(join(dir, 'links.env'), 'utf8')).toBe(first);
  });

  it('fails without a target directory', async () => {
    await expect(run('sh', [script])).rejects.toThrow(/usage/);
  });
});
