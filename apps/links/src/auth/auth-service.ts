import { UniqueViolationError } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { AccountsRepository } from './accounts-repository.js';
import { normalizeEmail } from './accounts-repository.js';
import {
  addressThrottlePolicy,
  type LoginThrottle,
  type ThrottleKey,
  type ThrottlePolicy,
} from './login-throttle.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hash.js';
import { passwordProblem } from './password-policy.js';
import type { SessionAccount, SessionsRepository } from './sessions-repository.js';
import { newToken, tokenDigest } from './tokens.js';

export interface AuthDependencies {
  accounts: AccountsRepository;
  sessions: SessionsRepository;
  throttle: LoginThrottle;
  throttlePolicy: ThrottlePolicy;
  commonPasswords: ReadonlySet<string>;
  sessionTtlSeconds: number;
  onLogin?: (outcome: 'success' | 'failure' | 'throttled') => void;
  onSignup?: () => void;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
}

// Deliberately loose: a real check is sending mail. Rejects what can never be an address, control characters
// included (PostgreSQL text cannot even hold NUL).
const emailPattern = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+$/u;
export const emailMaxLength = 254;

export const emailProblem = (email: string): string | undefined =>
  email.trim().length > emailMaxLength || !emailPattern.test(email.trim())
    ? 'Enter a valid e-mail address.'
    : undefined;

export const createAuthService = (deps: AuthDependencies) => {
  const startSession = async (accountId: string): Promise<NewSession> => {
    const token = newToken();
    const expiresAt = new Date(Date.now() + deps.sessionTtlSeconds * 1000);
    await deps.sessions.insert(tokenDigest(token), accountId, expiresAt);
    return { token, expiresAt };
  };

  return {
    async register(email: string, password: string): Promise<void> {
      const problem = emailProblem(email) ?? passwordProblem(password, deps.commonPasswords);
      if (problem !== undefined) throw new AppError('VALIDATION_FAILED', problem);
      const passwordHash = await hashPassword(password);
      try {
        await deps.accounts.insert(email, passwordHash);
      } catch (error) {
        if (error instanceof UniqueViolationError) {
          throw new AppError('EMAIL_TAKEN', 'An account with this e-mail already exists.');
        }
        throw error;
      }
      deps.onSignup?.();
    },

    /**
     * One answer for unknown e-mail and wrong password, after comparable work. The new session replaces any
     * the caller presented (`previousToken`), so a session fixed before login is worthless after it.
     */
    async login(
      email: string,
      password: string,
      clientAddress: string,
      previousToken?: string,
    ): Promise<NewSession> {
      const emailKey: ThrottleKey = { key: `email:${normalizeEmail(email)}`, policy: deps.throttlePolicy };
      const addressKey: ThrottleKey = { key: `address:${clientAddress}`, policy: addressThrottlePolicy };
      // An e-mail no account can have gets the wrong-password answer without a lookup, and counts against the
      // client address only: there is no account behind it to protect, and it may not even be storable.
      const possibleAccount = emailProblem(email) === undefined;
      const keys = possibleAccount ? [emailKey, addressKey] : [addressKey];
      const retryAfter = await deps.throttle.retryAfterSeconds(keys);
      if (retryAfter > 0) {
        deps.onLogin?.('throttled');
        throw new AppError(
          'TOO_MANY_ATTEMPTS',
          `Too many failed logins. Try again in ${retryAfter} seconds.`,
          {
            'retry-after': String(retryAfter),
          },
        );
      }
      const account = possibleAccount ? await deps.accounts.findByEmail(email) : undefined;
      const valid = account
        ? await verifyPassword(account.passwordHash, password)
        : await verifyAgainstDummy(password);
      if (!account || !valid) {
        await deps.throttle.recordFailure(keys);
        deps.onLogin?.('failure');
        throw new AppError('INVALID_CREDENTIALS', 'E-mail or password is wrong.');
      }
      await deps.throttle.clear(emailKey.key);
      if (previousToken !== undefined) await deps.sessions.delete(tokenDigest(previousToken));
      await deps.sessions.deleteExpired(account.id);
      deps.onLogin?.('success');
      return startSession(account.id);
    },

    async logout(token: string): Promise<void> {
      await deps.sessions.delete(tokenDigest(token));
    },

    authenticate(token: string): Promise<SessionAccount | undefined> {
      return deps.sessions.findLive(tokenDigest(token));
    },
  };
};

export type AuthService = ReturnType<typeof createAuthService>;
