import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { clusters } from '../src/spec/clusters.js';
import { DATABASE_CA_MOUNT, parseDatabaseCa, pinnedCaProblem } from '../src/spec/prod-database.js';
import { tls } from '../src/spec/tls.js';
import type { KubeObject } from '../src/synth/object.js';
import { clusterReadinessProblems } from '../src/synth/readiness.js';
import { renderDirectories } from '../src/synth/render.js';
import { fixtureInputs } from './synth-fixtures.js';

/**
 * Prod reaches RDS over TLS that pg verifies: pg 8.23 treats every `sslmode` but `disable` as `verify-full`
 * (pg-connection-string 2.14 `parse`), and RDS's certificate authorities are in no public trust store, so each pod
 * adds the region's bundle to Node's (`NODE_EXTRA_CA_CERTS`, in the pod template beside the mount that provides it).
 * Checked by a real handshake: the service's pg on Node 24 against a loopback server speaking PostgreSQL's
 * SSLRequest and then TLS with a certificate from a generated "Amazon RDS" authority.
 */
const execFileAsync = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'runway-database-tls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const appDir = join(import.meta.dirname, '../../../apps/links');

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, stdio: 'ignore' });
let serial = 0;

/** A self-signed CA from openssl (`ca` false: a self-signed leaf); returns its PEM and key file. */
const authority = (subject: string, ca = true): { pem: string; key: string; file: string } => {
  serial += 1;
  const [key, file] = [`ca${serial}.key`, `ca${serial}.pem`];
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    key,
    '-out',
    file,
    '-days',
    '30',
    '-subj',
    subject,
    '-addext',
    `basicConstraints=critical,CA:${ca ? 'TRUE' : 'FALSE'}`,
  );
  return { pem: readFileSync(join(work, file), 'utf8'), key: join(work, key), file: join(work, file) };
};

/** A server certificate for `host`, signed by `ca`. */
const serverCertificate = (ca: { key: string; file: string }, host: string) => {
  serial += 1;
  const [key, csr, pem, ext] = [`s${serial}.key`, `s${serial}.csr`, `s${serial}.pem`, `s${serial}.ext`];
  writeFileSync(join(work, ext), `subjectAltName=DNS:${host}\n`);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${host}`);
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.file,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-out',
    pem,
    '-days',
    '30',
    '-extfile',
    ext,
  );
  return { key: readFileSync(join(work, key)), cert: readFileSync(join(work, pem)) };
};

const rds = authority('/C=US/O=Amazon Web Services, Inc./CN=Amazon RDS eu-west-1 Root CA RSA2048 G1');
const now = new Date();

const prodObjects = (ca: string | undefined): KubeObject[] =>
  renderDirectories(fixtureInputs({ prodDatabaseCa: ca }))
    .flatMap(({ objects }) => objects)
    .filter((object) => object.metadata.namespace === 'links-prod');

type Container = {
  name: string;
  env?: { name: string; value?: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
};
type PodSpec = {
  volumes?: { name: string; configMap?: { name: string; optional?: boolean } }[];
  containers: Container[];
};
const podSpecs = (objects: KubeObject[]): [string, PodSpec][] =>
  objects.flatMap((object): [string, PodSpec][] => {
    const spec = object.spec as { template?: { spec?: PodSpec } } | undefined;
    return spec?.template?.spec === undefined
      ? []
      : [[`${object.kind}/${object.metadata.name}`, spec.template.spec]];
  });

const databaseUrl = (objects: KubeObject[]): string => {
  const external = objects.find((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'links-database');
  const spec = external?.spec as { target?: { template?: { data?: { url?: string } } } } | undefined;
  return spec?.target?.template?.data?.url ?? '';
};

/**
 * A loopback "database" that answers PostgreSQL's SSLRequest with 'S' and then completes a TLS handshake with
 * `certificate`, then hangs up: pg connecting to it fails either on the certificate or, once TLS is up, with the
 * connection ending.
 */
const tlsDatabase = async (certificate: { key: Buffer; cert: Buffer }): Promise<Server> => {
  const server = createServer((socket) => {
    socket.once('data', () => {
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, ...certificate });
      secure.on('secure', () => secure.end());
      secure.on('error', () => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

/**
 * The service's pg on this Node, in a process of its own (NODE_EXTRA_CA_CERTS is read at start), asynchronously:
 * the loopback server answers from this process's event loop.
 */
const connectWith = async (url: string, env: Record<string, string>): Promise<string> => {
  const script =
    "new (require('pg').Client)({ connectionString: process.argv[1] }).connect()" +
    ".then(() => console.log('connected'), (e) => console.log(e.code ?? e.message))";
  const { stdout } = await execFileAsync(process.execPath, ['-e', script, url], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
  });
  return stdout.trim();
};

describe("prod's database connection verifies RDS with the committed CA bundle", () => {
  it('adds the mounted bundle to the trust store of every pod that connects, and asks for verify-full', () => {
    const objects = prodObjects(rds.pem);
    const url = new URL(databaseUrl(objects).replace(/\{\{[^}]*\}\}/g, 'x'));
    expect([...url.searchParams]).toEqual([['sslmode', 'verify-full']]);
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'database-ca');
    expect((configMap as { data?: Record<string, string> } | undefined)?.data).toEqual({
      [DATABASE_CA_MOUNT.file]: rds.pem,
    });
    const pods = podSpecs(objects);
    expect(pods.map(([name]) => name).sort()).toEqual(['Job/links-migrate', 'Rollout/links']);
    for (const [name, pod] of pods) {
      const volume = pod.volumes?.find((v) => v.configMap?.name === 'database-ca');
      expect({ name, optional: volume?.configMap?.optional }).toEqual({ name, optional: false });
      for (const container of pod.containers) {
        const mount = container.volumeMounts?.find((m) => m.name === volume?.name);
        const extra = container.env?.find((variable) => variable.name === 'NODE_EXTRA_CA_CERTS');
        expect({ name, mount: mount?.mountPath, extra: extra?.value }).toEqual({
          name,
          mount: DATABASE_CA_MOUNT.dir,
          extra: `${DATABASE_CA_MOUNT.dir}/${DATABASE_CA_MOUNT.file}`,
        });
      }
    }
  });

  it("completes pg's TLS handshake with the bundle, and refuses without it or for another host name", async () => {
    const url = (port: number) =>
      databaseUrl(prodObjects(rds.pem))
        .replace(/\{\{[^}]*\}\}/g, 'x')
        .replace(/@[^/]+\//, `@localhost:${port}/`);
    const trusted = await tlsDatabase(serverCertificate(rds, 'localhost'));
    const otherHost = await tlsDatabase(serverCertificate(rds, 'db.elsewhere.example'));
    try {
      const port = (server: Server) => (server.address() as AddressInfo).port;
      const bundle = { NODE_EXTRA_CA_CERTS: rds.file };
      expect(await connectWith(url(port(trusted)), bundle)).toBe('Connection terminated unexpectedly');
      expect(await connectWith(url(port(trusted)), {})).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(await connectWith(url(port(otherHost)), bundle)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      trusted.close();
      otherHost.close();
    }
  });

  it('with no bundle committed, renders no ConfigMap and the pods wait for it (readiness says so)', () => {
    const objects = prodObjects(undefined);
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name)).toEqual([
      'links-config',
    ]);
    for (const [, pod] of podSpecs(objects))
      expect(pod.volumes?.some((v) => v.configMap?.name === 'database-ca')).toBe(true);
  });

  it('mounts nothing of the kind where the database is CloudNativePG', () => {
    const objects = renderDirectories(fixtureInputs({ prodDatabaseCa: rds.pem }))
      .flatMap(({ objects: rendered }) => rendered)
      .filter((o) => o.metadata.namespace === 'links-dev' || o.metadata.namespace === 'links-staging');
    expect(objects.filter((o) => o.metadata.name === 'database-ca')).toEqual([]);
    for (const [, pod] of podSpecs(objects)) {
      expect(pod.volumes?.map((v) => v.name)).toEqual(['tmp']);
      for (const container of pod.containers)
        expect(container.env?.some((variable) => variable.name === 'NODE_EXTRA_CA_CERTS')).toBe(false);
    }
  });

  it('reads a bundle of RDS authorities (it takes no clock: expiry is judged for the pinned one only) and refuses anything else, naming why', () => {
    const older = authority('/CN=Amazon RDS eu-west-1 2019 CA');
    expect(parseDatabaseCa(`${rds.pem}\n${older.pem}`)).toHaveLength(2);
    expect(parseDatabaseCa('not a certificate')).toBe('holds no PEM certificate');
    expect(parseDatabaseCa(rds.pem.replace(/[A-Za-z]{8}\n/, '!!!!!!!!\n'))).toBe(
      'certificate 1 does not parse',
    );
    expect(parseDatabaseCa(authority('/CN=Amazon RDS eu-west-1 leaf', false).pem)).toMatch(
      /is not a certificate authority$/,
    );
    expect(parseDatabaseCa(authority('/CN=Some Other Root CA').pem)).toMatch(/is not an RDS CA$/);
  });

  it('needs the authority the instance is pinned to, unexpired, for its region', () => {
    const certificates = parseDatabaseCa(rds.pem);
    if (typeof certificates === 'string') throw new Error(certificates);
    expect(pinnedCaProblem(certificates, 'eu-west-1', now)).toBeUndefined();
    expect(pinnedCaProblem(certificates, 'us-east-1', now)).toBe(
      'holds no "Amazon RDS us-east-1 Root CA RSA2048 G1", the authority the instance is pinned to',
    );
    expect(pinnedCaProblem(certificates, 'eu-west-1', new Date(now.getTime() + 60 * 86_400_000))).toMatch(
      /^"Amazon RDS eu-west-1 Root CA RSA2048 G1" expired on \d{4}-\d\d-\d\d$/,
    );
  });
});

describe('a cluster is ready to apply only when no input is a placeholder', () => {
  const byName = (name: string) => {
    const found = clusters.find((candidate) => candidate.name === name);
    if (found === undefined) throw new Error(name);
    return found;
  };
  const placeholders = fixtureInputs({
    prodDatabase: {
      ...fixtureInputs().prodDatabase,
      address: 'links-prod.cluster-placeholder.eu-west-1.rds.amazonaws.com',
    },
  });

  it("lists this repository's placeholders for prod and nonprod, nothing for kind", () => {
    expect(clusterReadinessProblems(byName('prod'), placeholders)).toEqual([
      "packages/platform/src/spec/clusters.ts: prod's vpcId is a placeholder",
      "packages/platform/src/spec/clusters.ts: prod's volumesKmsKeyArn is a placeholder",
      'packages/platform/src/spec/tls.ts: the ACME e-mail is the placeholder platform@runway.dev',
      'deploy-inputs/prod.json: address links-prod.cluster-placeholder.eu-west-1.rds.amazonaws.com is a placeholder',
      'deploy-inputs/prod.json: appUserSecretArn is in the placeholder account 000000000000',
      "deploy-inputs/rds-ca.pem is missing: prod's pods cannot verify the database's certificate",
    ]);
    expect(clusterReadinessProblems(byName('nonprod'), placeholders)).toHaveLength(3);
    expect(clusterReadinessProblems(byName('kind'), placeholders)).toEqual([]);
  });

  it('passes prod once every input is real', () => {
    const prod = byName('prod');
    if (prod.provider !== 'eks') throw new Error('prod is an EKS cluster');
    const real = {
      ...prod,
      aws: {
        region: 'eu-west-1',
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        volumesKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/2f0e8c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      },
    };
    const inputs = {
      prodDatabase: {
        ...fixtureInputs().prodDatabase,
        appUserSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:runway/prod/database-Q1w2E3',
      },
      prodDatabaseCa: rds.pem,
    };
    expect(
      clusterReadinessProblems(real, inputs, {
        ...tls,
        acme: { ...tls.acme, email: 'platform@example.org' },
      }),
    ).toEqual([]);
  });
});
