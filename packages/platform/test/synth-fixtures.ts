import type { EnvironmentName, ReleasePointer } from '../src/release/pointer.js';
import type { SynthInputs } from '../src/synth/render.js';

/** Fixed synth inputs, so golden output does not move when a real release lands. */
export const fixturePointer = (env: EnvironmentName): ReleasePointer => ({
  env,
  image: 'ghcr.io/runway-dev/links',
  digest: `sha256:${'ab'.repeat(32)}`,
  gitSha: 'c0ffee'.padEnd(40, '0'),
  releasedAt: '2026-01-01T00:00:00.000Z',
  releasedBy: 'test',
  promotedFrom: null,
  verifiedAt: null,
  rejected: [],
});

export const fixtureInputs = (overrides: Partial<SynthInputs> = {}): SynthInputs => ({
  pointers: { dev: fixturePointer('dev'), staging: fixturePointer('staging'), prod: fixturePointer('prod') },
  prodDatabase: {
    address: 'links-prod.example.eu-west-1.rds.amazonaws.com',
    port: 5432,
    dbName: 'links',
    appUserSecretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:runway/prod/database-AbCdEf',
    subnetCidrs: ['10.20.32.0/20', '10.20.48.0/20'],
  },
  // The repository's own state until a person commits deploy-inputs/rds-ca.pem (synth-database-tls.test.ts sets one).
  prodDatabaseCa: undefined,
  observability: { dashboards: new Map() },
  ...overrides,
});
