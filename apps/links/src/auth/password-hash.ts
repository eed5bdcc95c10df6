// Algorithm.Argon2id; the package exports it as a const enum, which verbatimModuleSyntax cannot import.
const argon2id = 2;

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const options = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Loaded on first use: the native module adds start-up time and resident memory, and only sign-up and login need it.
let argon2: Promise<typeof import('@node-rs/argon2')> | undefined;
const loadArgon2 = () => {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
};

export const hashPassword = async (password: string): Promise<string> => {
  const { hash } = await loadArgon2();
  return hash(password.normalize('NFC'), options);
};

/** False for a wrong password and for a malformed hash; a failure to load argon2 itself is thrown. */
export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  const { verify } = await loadArgon2();
  return verify(passwordHash, password.normalize('NFC')).catch(() => false);
};

let dummyHash: Promise<string> | undefined;

/** Verifies against a throwaway hash so an unknown e-mail costs the same time as a wrong password. */
export const verifyAgainstDummy = async (password: string): Promise<false> => {
  dummyHash ??= hashPassword('not-a-real-account-password');
  await verifyPassword(await dummyHash, password);
  return false;
};
