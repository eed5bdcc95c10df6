import { type Static, Type } from 'typebox';

/**
 * A release pointer: the one small file per environment (`deploy/releases/<env>.json`) that says which image
 * that environment runs. Releases, promotions and rollbacks edit only these files; `runway synth` reads them.
 */
export const EnvironmentName = Type.Union([
  Type.Literal('dev'),
  Type.Literal('staging'),
  Type.Literal('prod'),
]);
export type EnvironmentName = Static<typeof EnvironmentName>;
export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['dev', 'staging', 'prod'];

export const Digest = Type.String({ pattern: '^sha256:[a-f0-9]{64}$' });
export const GitSha = Type.String({ pattern: '^[a-f0-9]{40}$' });

export const RejectedRelease = Type.Object(
  {
    digest: Digest,
    gitSha: GitSha,
    rejectedAt: Type.String({ format: 'date-time' }),
    reason: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type RejectedRelease = Static<typeof RejectedRelease>;

export const ReleasePointer = Type.Object(
  {
    env: EnvironmentName,
    /** Repository of the image without tag or digest, e.g. `ghcr.io/acme/links`. */
    image: Type.String({ pattern: '^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+$' }),
    digest: Digest,
    gitSha: GitSha,
    releasedAt: Type.String({ format: 'date-time' }),
    /** Who or what wrote the pointer: a CI run URL, `runway promote`, a user. */
    releasedBy: Type.String({ minLength: 1 }),
    promotedFrom: Type.Union([EnvironmentName, Type.Null()]),
    /** Set when the release's canary analysis passed in this environment; only verified releases are promoted. */
    verifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** Releases rolled back from this environment; they can never be promoted again. */
    rejected: Type.Array(RejectedRelease),
  },
  { additionalProperties: false },
);
export type ReleasePointer = Static<typeof ReleasePointer>;

/** The immutable image reference a pointer deploys. */
export const imageReference = (pointer: Pick<ReleasePointer, 'image' | 'digest'>): string =>
  `${pointer.image}@${pointer.digest}`;

/** `releasedBy` of the pointers a new repository starts with: placeholders that name no real image. */
export const BOOTSTRAP_ACTOR = 'bootstrap';

/** A bootstrap placeholder is never a release to go back to: its digest names no image that ever ran. */
export const isPlaceholder = (pointer: Pick<ReleasePointer, 'releasedBy'>): boolean =>
  pointer.releasedBy === BOOTSTRAP_ACTOR;
