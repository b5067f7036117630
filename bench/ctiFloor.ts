import { createServer, type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import WebSocket, { WebSocketServer } from "ws";

/**
 * The least a screen pop can cost, measured in the same run: find the caller by number, write the call,
 * and send one message over a WebSocket — bare SQL through the same driver and a bare `ws` server, with
 * no bridge, no HTTP hop, no card, no scope checks. Operations start on the same schedule as the calls
 * (`perSecond`), so they meet the same queueing as the real path would at that rate.
 */
export async function measureFloor(
  databaseUrl: string,
  phones: string[],
  perSecond: number,
): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const server = new WebSocketServer({ host: "127.0.0.1", port });
  const pushed = new Promise<WebSocket>((resolve) => server.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const serverSide = await pushed;
  const arrivals = new Map<string, () => void>();
  client.on("message", (data: Buffer) => arrivals.get(data.toString())?.());

  const once = async (i: number): Promise<number> => {
    const started = performance.now();
    const { rows } = await pool.query<{ id: string; full_name: string; owner_id: string }>({
      name: "floor-lookup",
      text: "select c.id, c.full_name, c.owner_id from contact_phones p join contacts c on c.id = p.contact_id where p.phone = $1 limit 1",
      values: [phones[i % phones.length]],
    });
    const callId = `floor:${Date.now()}:${i}`;
    await pool.query({
      name: "floor-insert",
      text: "insert into interactions (channel, direction, call_id, contact_id, owner_id, payload) values ('call', 'in', $1, $2, $3, '{}')",
      values: [callId, rows[0]!.id, rows[0]!.owner_id],
    });
    const arrived = new Promise<void>((resolve) => arrivals.set(callId, resolve));
    serverSide.send(callId);
    await arrived;
    arrivals.delete(callId);
    return performance.now() - started;
  };

  try {
    const samples: Promise<number>[] = [];
    const start = performance.now();
    for (let i = 0; i < phones.length; i += 1) {
      const due = start + (i * 1000) / perSecond - performance.now();
      if (due > 0) {
        await sleep(due);
      }
      const sample = once(i);
      sample.catch(() => undefined); // reported by Promise.all below, not as an unhandled rejection
      samples.push(sample);
    }
    return await Promise.all(samples);
  } finally {
    await pool.query("delete from interactions where call_id like 'floor:%'");
    client.close();
    server.close();
    await pool.end();
  }
}
