import { readFileSync } from 'node:fs';
import { commonPasswordsFile } from '../data-files.js';

export const passwordMinLength = 8;
export const passwordMaxLength = 128;

/** The bundled list of common passwords (lowercased), loaded once. */
export const loadCommonPasswords = (file: URL = commonPasswordsFile): ReadonlySet<string> =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );

/**
 * NIST SP 800-63B: length 8–128 counted in code points, any characters, no composition rules, and not a
 * commonly used password. Returns why a password is refused, or undefined when it is acceptable.
 */
export const passwordProblem = (password: string, common: ReadonlySet<string>): string | undefined => {
  const length = [...password.normalize('NFC')].length;
  if (length < passwordMinLength) return `Password must be at least ${passwordMinLength} characters.`;
  if (length > passwordMaxLength) return `Password must be at most ${passwordMaxLength} characters.`;
  if (common.has(password.toLowerCase())) return 'This password is too common; choose another.';
  return undefined;
};
