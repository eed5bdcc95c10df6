/**
 * A bounded, short-lived cache of code → URL for the redirect path. Entries expire after `ttlMs`, which bounds
 * how long another replica may still redirect a link deleted elsewhere.
 */
export const createRedirectCache = (maxEntries: number, ttlMs: number, now: () => number = Date.now) => {
  const entries = new Map<string, { url: string; expiresAt: number }>();
  return {
    get(code: string): string | undefined {
      const entry = entries.get(code);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(code);
        return undefined;
      }
      return entry.url;
    },
    set(code: string, url: string): void {
      entries.delete(code);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      entries.set(code, { url, expiresAt: now() + ttlMs });
    },
    delete(code: string): void {
      entries.delete(code);
    },
  };
};

export type RedirectCache = ReturnType<typeof createRedirectCache>;
