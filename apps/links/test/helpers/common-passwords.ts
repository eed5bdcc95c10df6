import { loadCommonPasswords } from '../../src/auth/password-policy.js';

/** The bundled list, loaded once per test file. */
export const commonPasswordsForTest = loadCommonPasswords();
