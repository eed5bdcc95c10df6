import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusters } from '../src/spec/clusters.js';
import { DATABASE_CA_MOUNT, databaseCaProblem } from '../src/spec/prod-database.js';
import { tls } from '../src/spec/tls.js';
import type { KubeObject } from '../src/synth/object.js';
import { clusterReadinessProblems } from '../src/synth/readiness.js';
import { renderDirectories } from '../src/synth/render.js';
import { fixtureInputs } from './synth-fixtures.js';

/**
 * Prod reaches RDS over TLS that pg verifies: pg 8.23 treats every `sslmode` but `disable` as `verify-full`
 * (pg-connection-string 2.14 `parse`), and RDS's certificate authorities are in no public trust store, so the pods
 * need the region's bundle. What the URL names must be what the pod mounts, and what pg then trusts.
 */
const work = mkdtempSync(join(tmpdir(), 'runway-database-tls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A self-signed certificate from openssl; `ca` false gives a leaf. */
const certificate = (subject: string, ca = true): string => {
  const key = join(work, `${Math.random()}.key`);
  const pem = join(work, `${Math.random()}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      pem,
      '-days',
      '30',
      '-subj',
      subject,
      '-addext',
      `basicConstraints=critical,CA:${ca ? 'TRUE' : 'FALSE'}`,
    ],
    { stdio: 'ignore' },
  );
  return readFileSync(pem, 'utf8');
};

const rdsCa = certificate('/C=US/O=Amazon Web Services, Inc./CN=Amazon RDS eu-west-1 Root CA RSA2048 G1');
const now = new Date();

/** The parser of the pg the service ships (apps/links), which turns DATABASE_URL into TLS options. */
const parseConnectionString = createRequire(join(import.meta.dirname, '../../../apps/links/package.json'))(
  'pg-connection-string',
).parse as (url: string) => { ssl?: { ca?: string; rejectUnauthorized?: boolean } | boolean; host?: string };

const prodObjects = (ca: string | undefined): KubeObject[] =>
  renderDirectories(fixtureInputs({ prodDatabaseCa: ca }))
    .flatMap(({ objects }) => objects)
    .filter((object) => object.metadata.namespace === 'links-prod');

type PodSpec = {
  volumes?: { name: string; configMap?: { name: string; optional?: boolean } }[];
  containers: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
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
  const template = spec?.target?.template;
  return (template?.data?.url ?? '').replace(/\{\{[^}]*\}\}/g, 'x');
};

describe("prod's database connection verifies RDS with the committed CA bundle", () => {
  it('names the mounted bundle in the URL, mounts it in every pod that connects, and pg trusts exactly it', () => {
    const objects = prodObjects(rdsCa);
    const url = new URL(databaseUrl(objects));
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    const rootCert = url.searchParams.get('sslrootcert') ?? '';
    expect(rootCert).toBe(`${DATABASE_CA_MOUNT.dir}/${DATABASE_CA_MOUNT.file}`);

    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'database-ca');
    expect((configMap as { data?: Record<string, string> } | undefined)?.data).toEqual({
      [DATABASE_CA_MOUNT.file]: rdsCa,
    });
    const pods = podSpecs(objects);
    expect(pods.map(([name]) => name).sort()).toEqual(['Job/links-migrate', 'Rollout/links']);
    for (const [name, pod] of pods) {
      const volume = pod.volumes?.find((v) => v.configMap?.name === 'database-ca');
      expect({ name, optional: volume?.configMap?.optional }).toEqual({ name, optional: false });
      for (const container of pod.containers) {
        const mount = container.volumeMounts?.find((m) => m.name === volume?.name);
        expect({ name, mountPath: mount?.mountPath }).toEqual({ name, mountPath: DATABASE_CA_MOUNT.dir });
      }
    }

    // pg reads the file at the URL's path: here, the ConfigMap's content written where the pod would see it.
    const localCopy = join(work, DATABASE_CA_MOUNT.file);
    writeFileSync(localCopy, rdsCa);
    const parsed = parseConnectionString(databaseUrl(objects).replace(rootCert, localCopy));
    expect(typeof parsed.ssl === 'object' && parsed.ssl.ca).toBe(rdsCa);
    expect(typeof parsed.ssl === 'object' && parsed.ssl.rejectUnauthorized).not.toBe(false);
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
    const objects = renderDirectories(fixtureInputs({ prodDatabaseCa: rdsCa }))
      .flatMap(({ objects: rendered }) => rendered)
      .filter((o) => o.metadata.namespace === 'links-dev' || o.metadata.namespace === 'links-staging');
    expect(objects.filter((o) => o.metadata.name === 'database-ca')).toEqual([]);
    for (const [, pod] of podSpecs(objects)) expect(pod.volumes?.map((v) => v.name)).toEqual(['tmp']);
  });

  it('accepts a bundle of RDS authorities and refuses anything else, naming why', () => {
    expect(databaseCaProblem(`${rdsCa}\n${rdsCa}`, now)).toBeUndefined();
    expect(databaseCaProblem('not a certificate', now)).toBe('holds no PEM certificate');
    expect(databaseCaProblem(rdsCa.replace(/[A-Za-z]{8}\n/, '!!!!!!!!\n'), now)).toBe(
      'certificate 1 does not parse',
    );
    expect(databaseCaProblem(certificate('/CN=Amazon RDS eu-west-1 leaf', false), now)).toMatch(
      /is not a certificate authority$/,
    );
    expect(databaseCaProblem(certificate('/CN=Some Other Root CA'), now)).toMatch(/is not an RDS CA$/);
    expect(databaseCaProblem(rdsCa, new Date(now.getTime() + 60 * 86_400_000))).toMatch(/ expired on /);
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
      prodDatabaseCa: rdsCa,
    };
    expect(
      clusterReadinessProblems(real, inputs, {
        ...tls,
        acme: { ...tls.acme, email: 'platform@example.org' },
      }),
    ).toEqual([]);
  });
});
