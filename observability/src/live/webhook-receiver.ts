import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got: which path (so which webhook URL), when, and the JSON body. */
export interface ReceivedPost {
  readonly path: string;
  readonly at: number;
  readonly body: unknown;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly posts: readonly ReceivedPost[];
  /** Resolves with the first post (already received or still to come) that `matches`; rejects after `timeoutMs`. */
  waitFor(matches: (post: ReceivedPost) => boolean, timeoutMs: number): Promise<ReceivedPost>;
  close(): Promise<void>;
}

/**
 * Stands in for Slack's incoming webhooks, on loopback only: it answers 200 "ok" as Slack does and
 * records every POST so a test can assert on exactly what Alertmanager sent.
 */
export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const posts: ReceivedPost[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a non-JSON body is itself what the test should see.
      }
      posts.push({ path: request.url ?? '/', at: Date.now(), body });
      response.writeHead(request.method === 'POST' ? 200 : 405, { 'content-type': 'text/plain' }).end('ok');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const waitFor = (matches: (post: ReceivedPost) => boolean, timeoutMs: number): Promise<ReceivedPost> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = posts.find(matches);
        if (!found) return false;
        clearTimeout(timer);
        waiters.delete(wake);
        resolve(found);
        return true;
      };
      const wake = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`no matching webhook post within ${timeoutMs} ms (got ${posts.length} posts)`));
      }, timeoutMs);
      if (!check()) waiters.add(wake);
    });

  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    waitFor,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
