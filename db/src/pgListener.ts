import pg from "pg";
import type { Listener } from "./openDb.ts";

const MAX_BACKOFF_MS = 10_000;

/**
 * LISTEN on a connection of its own that survives a dropped connection: on error or end it reconnects with
 * jittered backoff and LISTENs again on every channel. Notices sent while it was down are lost (NOTIFY is not
 * durable), so consumers treat pushes as hints and clients refetch after a reconnect.
 */
export function createPgListener(url: string) {
  const listeners = new Map<string, Set<Listener>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let attempt = 0;

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (msg) => {
      for (const fn of listeners.get(msg.channel) ?? []) {
        fn(msg.payload ?? "");
      }
    });
    const lost = () => {
      if (client === c) {
        client = undefined;
        scheduleReconnect();
      }
    };
    c.on("error", lost);
    c.on("end", lost);
    await c.connect();
    for (const channel of listeners.keys()) {
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    attempt = 0;
    client = c;
    return c;
  }

  function scheduleReconnect(): void {
    if (closed) {
      return;
    }
    attempt += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
    setTimeout(() => {
      connecting = connect().catch(() => {
        connecting = undefined;
        scheduleReconnect();
        return undefined as unknown as pg.Client;
      });
    }, delay).unref();
  }

  async function ensure(): Promise<pg.Client> {
    if (client) {
      return client;
    }
    connecting ??= connect();
    try {
      return await connecting;
    } finally {
      connecting = undefined;
    }
  }

  return {
    async listen(channel: string, onPayload: Listener): Promise<() => Promise<void>> {
      let set = listeners.get(channel);
      const isNew = !set;
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(onPayload);
      const c = await ensure();
      if (isNew) {
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      return () => {
        set.delete(onPayload);
        return Promise.resolve();
      };
    },
    /** The backend pid of the listening connection (tests kill it to prove reconnection). */
    async backendPid(): Promise<number> {
      const c = await ensure();
      const r = await c.query<{ pid: number }>("select pg_backend_pid() as pid");
      return r.rows[0]!.pid;
    },
    async close(): Promise<void> {
      closed = true;
      const c = client;
      client = undefined;
      await c?.end();
    },
  };
}
