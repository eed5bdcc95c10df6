import net from 'node:net';

/** Which directions of a proxied connection still carry bytes; a direction switched off drops what it gets. */
interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  toServer: boolean;
  toClient: boolean;
}

type NewConnections = 'forward' | 'black-hole';

/**
 * A loopback TCP proxy to PostgreSQL that a test can break the ways a network does, without touching the
 * machine's PostgreSQL:
 * - `refuse()`: stop listening (connection refused); `open()` listens again on the same port;
 * - `cut()`: reset every open connection (a crashed server or a restarted proxy);
 * - `freeze()`: every connection, open or new, stops carrying bytes but stays open (a partition, a failover
 *   behind a stale address): nothing is refused, nothing answers;
 * - `loseReplies()`: on the connections open now, requests still reach the server but its replies are dropped,
 *   so a COMMIT takes effect and the client never learns it; new connections work;
 * - `restore()`: new connections work again; connections frozen before stay black-holed, as after a failover;
 * - `close()`: refuse and cut.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly pairs = new Set<Pair>();
  private mode: NewConnections = 'forward';
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  private accept(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair: Pair = {
      client,
      upstream,
      toServer: this.mode === 'forward',
      toClient: this.mode === 'forward',
    };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (pair.toServer) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.toClient) client.write(chunk);
    });
    // A close crosses only a direction that still carries bytes: across a partition the server keeps its
    // session after the client gave up, and the client never hears that the server ended it.
    const forget = () => {
      if (client.destroyed && upstream.destroyed) this.pairs.delete(pair);
    };
    client.on('close', () => {
      if (pair.toServer) upstream.destroy();
      forget();
    });
    upstream.on('close', () => {
      if (pair.toClient) client.destroy();
      forget();
    });
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
  }

  async open(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening at once; connections already open stay as they are. */
  refuse(): void {
    // server.close() stops accepting now; its callback would wait for the open connections to end.
    this.server?.close();
    this.server = undefined;
  }

  cut(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  freeze(): void {
    this.mode = 'black-hole';
    for (const pair of this.pairs) {
      pair.toServer = false;
      pair.toClient = false;
    }
  }

  loseReplies(): void {
    for (const pair of this.pairs) pair.toClient = false;
  }

  restore(): void {
    this.mode = 'forward';
  }

  async close(): Promise<void> {
    this.refuse();
    this.cut();
  }
}
