import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fileName = 'session-secret';

const readSecret = (file: string): string | undefined => {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    return secret.length >= 32 ? secret : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * The development session secret, kept in the data directory beside the embedded database, so a restart (tsx watch,
 * Ctrl-C and start again) leaves the CSRF tokens of open forms valid. Created once, readable by its owner only.
 */
export const devSessionSecret = (dataDir: string): string => {
  const file = join(dataDir, fileName);
  const existing = readSecret(file);
  if (existing !== undefined) return existing;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Two processes started at once: the first one's secret wins.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecret(file) ?? secret;
  }
};
