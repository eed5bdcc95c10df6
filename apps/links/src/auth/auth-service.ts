import { UniqueViolationError } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { AccountsRepository } from './accounts-repository.js';
import { normalizeEmail } from './accounts-repository.js';
import {
  accountThrottlePolicy,
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
  /** The strict per (account, client address) limit. */
  throttlePolicy: ThrottlePolicy;
  /** Registrations per client address. */
  registrationPolicy: ThrottlePolicy;
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

const tooManyAttempts = (what: string, retryAfterSeconds: number): AppError =>
  new AppError('TOO_MANY_ATTEMPTS', `Too many ${what}. Try again in ${retryAfterSeconds} seconds.`, {
    'retry-after': String(retryAfterSeconds),
  });

export const createAuthService = (deps: AuthDependencies) => {
  const startSession = async (accountId: string): Promise<NewSession> => {
    const token = newToken();
    const expiresAt = new Date(Date.now() + deps.sessionTtlSeconds * 1000);
    await deps.sessions.insert(tokenDigest(token), accountId, expiresAt);
    return { token, expiresAt };
  };

  return {
    /**
     * Creates the account, or does nothing when the e-mail is taken: both answer alike, after the same work
     * (the hash), so registration does not reveal who has an account. Counted per client address.
     */
    async register(email: string, password: string, clientAddress: string): Promise<void> {
      const problem = emailProblem(email) ?? passwordProblem(password, deps.commonPasswords);
      if (problem !== undefined) throw new AppError('VALIDATION_FAILED', problem);
      const reservation = await deps.throttle.reserve([
        { key: `register:${clientAddress}`, policy: deps.registrationPolicy },
      ]);
      if (!reservation.granted) throw tooManyAttempts('registrations', reservation.retryAfterSeconds);
      const passwordHash = await hashPassword(password);
      try {
        await deps.accounts.insert(email, passwordHash);
      } catch (error) {
        if (error instanceof UniqueViolationError) return;
        throw error;
      }
      deps.onSignup?.();
    },

    /**
     * One answer for unknown e-mail and wrong password, after comparable work. The new session replaces any
     * the caller presented (`previousToken`), so a session fixed before login is worthless after it.
     *
     * Each attempt is counted before it is evaluated, against three budgets: this account from this client
     * address (strict: 5 per 15 min), this address (spraying), and this account from everywhere (a short
     * slow-down). A stranger who guesses wrong locks out only their own address, never the owner's.
     */
    async login(
      email: string,
      password: string,
      clientAddress: string,
      previousToken?: string,
    ): Promise<NewSession> {
      const account = normalizeEmail(email);
      const pairKey: ThrottleKey = { key: `login:${account}|${clientAddress}`, policy: deps.throttlePolicy };
      const addressKey: ThrottleKey = { key: `address:${clientAddress}`, policy: addressThrottlePolicy };
      const accountKey: ThrottleKey = { key: `account:${account}`, policy: accountThrottlePolicy };
      // An e-mail no account can have gets the wrong-password answer without a lookup, and counts against the
      // client address only: there is no account behind it to protect, and it may not even be storable.
      const possibleAccount = emailProblem(email) === undefined;
      const reservation = await deps.throttle.reserve(
        possibleAccount ? [pairKey, addressKey, accountKey] : [addressKey],
      );
      if (!reservation.granted) {
        deps.onLogin?.('throttled');
        throw tooManyAttempts('failed logins', reservation.retryAfterSeconds);
      }
      const found = possibleAccount ? await deps.accounts.findByEmail(email) : undefined;
      const valid = found
        ? await verifyPassword(found.passwordHash, password)
        : await verifyAgainstDummy(password);
      if (!found || !valid) {
        deps.onLogin?.('failure');
        throw new AppError('INVALID_CREDENTIALS', 'E-mail or password is wrong.');
      }
      // The attempt was not a failure: this client's slate is wiped, the shared budgets get it back.
      await deps.throttle.clear(pairKey.key);
      await deps.throttle.giveBack([addressKey, accountKey]);
      if (previousToken !== undefined) await deps.sessions.delete(tokenDigest(previousToken));
      await deps.sessions.deleteExpired(found.id);
      deps.onLogin?.('success');
      return startSession(found.id);
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
