import type { Pointers } from '../src/release/plan.js';
import type { EnvironmentName, ReleasePointer } from '../src/release/pointer.js';

/** A digest / git sha made of one repeated hex character, so tests read as "release a", "release b". */
export const digestOf = (hex: string): string => `sha256:${hex.repeat(64)}`;
export const shaOf = (hex: string): string => hex.repeat(40);

export const pointer = (
  env: EnvironmentName,
  hex: string,
  overrides: Partial<ReleasePointer> = {},
): ReleasePointer => ({
  env,
  image: 'ghcr.io/acme/links',
  digest: digestOf(hex),
  gitSha: shaOf(hex),
  releasedAt: '2026-11-01T00:00:00.000Z',
  releasedBy: 'bootstrap',
  promotedFrom: null,
  verifiedAt: null,
  rejected: [],
  ...overrides,
});

export const pointers = (dev: ReleasePointer, staging?: ReleasePointer, prod?: ReleasePointer): Pointers => ({
  dev,
  staging: staging ?? pointer('staging', '0'),
  prod: prod ?? pointer('prod', '0'),
});
