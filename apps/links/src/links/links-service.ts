import { UniqueViolationError } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { ClickCounter } from './click-counter.js';
import { checkTargetUrl, codeProblem, generateCode, isWellFormedCode } from './link-rules.js';
import type { Link, LinksRepository } from './links-repository.js';
import type { RedirectCache } from './redirect-cache.js';

export interface LinksDependencies {
  links: LinksRepository;
  clicks: ClickCounter;
  cache: RedirectCache;
  onCreated?: () => void;
  onRedirect?: (outcome: 'found' | 'not_found') => void;
}

export interface LinkPage {
  items: Link[];
  nextCursor: string | null;
}

const generatedCodeAttempts = 5;

const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

/** Undefined for a cursor this service did not issue; the caller answers 400. */
export const decodeCursor = (cursor: string): string | undefined => {
  const id = Buffer.from(cursor, 'base64url').toString();
  return /^[1-9]\d{0,17}$/.test(id) ? id : undefined;
};

/** The id a page continues after; VALIDATION_FAILED for a cursor this service did not issue. */
const beforeIdOf = (cursor: string | undefined): string | undefined => {
  if (cursor === undefined) return undefined;
  const beforeId = decodeCursor(cursor);
  if (beforeId === undefined) throw new AppError('VALIDATION_FAILED', 'Invalid cursor.');
  return beforeId;
};

export const createLinksService = (deps: LinksDependencies) => {
  /** Undefined when the code is taken (in any case) or resting after a deletion. */
  const insertWithCode = async (accountId: string, code: string, url: string): Promise<Link | undefined> => {
    try {
      return await deps.links.insert(accountId, code, url);
    } catch (error) {
      if (error instanceof UniqueViolationError) return undefined;
      throw error;
    }
  };

  /** Counts the outcome (and the click, for `clickedCode`) of one lookup. */
  const recordOutcome = (url: string | undefined, clickedCode?: string): string | undefined => {
    if (url === undefined) {
      deps.onRedirect?.('not_found');
      return undefined;
    }
    if (clickedCode !== undefined) deps.clicks.record(clickedCode);
    deps.onRedirect?.('found');
    return url;
  };

  return {
    /** `serviceHosts`: the names this request reached the service by; a link to one would loop. */
    async create(
      accountId: string,
      rawUrl: string,
      customCode: string | undefined,
      serviceHosts: readonly string[],
    ): Promise<Link> {
      const target = checkTargetUrl(rawUrl, serviceHosts);
      if (!target.ok) throw new AppError('VALIDATION_FAILED', target.problem);
      if (customCode !== undefined && customCode !== '') {
        const problem = codeProblem(customCode);
        if (problem !== undefined) throw new AppError('VALIDATION_FAILED', problem);
        const link = await insertWithCode(accountId, customCode, target.url);
        if (link === undefined) throw new AppError('LINK_CODE_TAKEN', `The code "${customCode}" is taken.`);
        deps.onCreated?.();
        return link;
      }
      for (let attempt = 0; attempt < generatedCodeAttempts; attempt++) {
        const link = await insertWithCode(accountId, generateCode(), target.url);
        if (link !== undefined) {
          deps.onCreated?.();
          return link;
        }
      }
      throw new Error(`no free generated code after ${generatedCodeAttempts} attempts`);
    },

    async list(accountId: string, limit: number, cursor?: string): Promise<LinkPage> {
      const rows = await deps.links.listOwned(accountId, limit + 1, beforeIdOf(cursor));
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    /** `list` as the API sends it: the page's JSON text, written by the database. */
    async listJson(accountId: string, limit: number, cursor?: string): Promise<string> {
      const page = await deps.links.listOwnedJson(accountId, limit, beforeIdOf(cursor));
      const nextCursor = page.hasMore && page.lastId !== undefined ? encodeCursor(page.lastId) : null;
      return `{"items":[${page.items}],"nextCursor":${JSON.stringify(nextCursor)}}`;
    },

    async get(accountId: string, code: string): Promise<Link> {
      const link = isWellFormedCode(code) ? await deps.links.findOwned(accountId, code) : undefined;
      if (link === undefined) throw new AppError('NOT_FOUND', `No link "${code}" in your account.`);
      return link;
    },

    async delete(accountId: string, code: string): Promise<void> {
      const deleted = isWellFormedCode(code) && (await deps.links.deleteOwned(accountId, code));
      if (!deleted) throw new AppError('NOT_FOUND', `No link "${code}" in your account.`);
      deps.cache.delete(code);
    },

    /**
     * The hot path: cache or one indexed read; the click is only counted in memory. `countClick` is false for
     * HEAD requests, which link previews send without anyone following the link. A cache hit answers
     * synchronously, so a warm redirect allocates no promise and waits for no microtask.
     */
    resolve(code: string, countClick = true): string | undefined | Promise<string | undefined> {
      if (!isWellFormedCode(code)) return recordOutcome(undefined);
      const cached = deps.cache.get(code);
      if (cached !== undefined) return recordOutcome(cached, countClick ? code : undefined);
      return deps.links.findUrl(code).then((url) => {
        if (url !== undefined) deps.cache.set(code, url);
        return recordOutcome(url, countClick ? code : undefined);
      });
    },

    /**
     * A warm GET: the cached target with its click counted, or undefined (not cached; `resolve` decides). The
     * caller counts the outcome, in a cheaper way than `onRedirect` (ops/metrics.ts, `warmRedirect`).
     */
    resolveCached(code: string): string | undefined {
      const cached = deps.cache.get(code);
      if (cached !== undefined) deps.clicks.record(code);
      return cached;
    },
  };
};

export type LinksService = ReturnType<typeof createLinksService>;
