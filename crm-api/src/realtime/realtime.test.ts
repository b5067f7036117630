import { once } from "node:events";
import { PROTOCOL_VERSION, ServerMessage, WS_CLOSE_SESSION_ENDED } from "@okno/contracts";
import { openDb } from "@okno/db";
import { testDbUrl } from "@okno/db/testDb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { buildApp } from "../app.ts";
import { testConfig } from "../config.ts";
import { buildContact } from "../test/factories.ts";
import { startTestApp, TEST_PASSWORD, type TestApp, type TestLogin } from "../test/testApp.ts";

type MessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

interface TestClient {
  socket: WebSocket;
  /** The next message of this type in arrival order; rejects when none comes within `ms`. */
  next<T extends ServerMessage["type"]>(type: T, ms?: number): Promise<MessageOf<T>>;
  /** The close code once the server closes the connection; rejects when it stays open `ms`. */
  closeCode(ms?: number): Promise<number>;
}

const open: WebSocket[] = [];

/** Opens a real socket; every server message must parse as a ServerMessage. */
async function connect(url: string, headers: Record<string, string>): Promise<TestClient> {
  const socket = new WebSocket(url, { headers });
  open.push(socket);
  const inbox: ServerMessage[] = [];
  let wake = () => {};
  socket.on("message", (data: Buffer) => {
    inbox.push(ServerMessage.parse(JSON.parse(data.toString("utf8"))));
    wake();
  });
  const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  await once(socket, "open");
  return {
    socket,
    closeCode: (ms = 3000) =>
      Promise.race([
        closed,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`open after ${ms} ms`)), ms)),
      ]),
    async next<T extends ServerMessage["type"]>(type: T, ms = 3000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type);
        if (i >= 0) {
          return inbox.splice(i, 1)[0] as MessageOf<T>;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`no ${type} within ${ms} ms`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
  };
}

/** The HTTP status of a refused upgrade, or 101 when the server accepted it. */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on("unexpected-response", (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("error", reject);
  });
}

const wsUrl = (httpAddress: string) => `${httpAddress.replace(/^http/, "ws")}/api/v1/ws`;

describe("realtime", () => {
  let t: TestApp;
  let url: string;
  const connectAs = (login: TestLogin, at = url) => connect(at, t.as(login));

  /** Logs in with the password, as the browser does, and returns the session token of the cookie. */
  async function sessionOf(login: TestLogin): Promise<string> {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { login, password: TEST_PASSWORD },
    });
    return res.json<{ token: string }>().token;
  }

  beforeAll(async () => {
    t = await startTestApp();
    url = wsUrl(await t.app.listen({ host: "127.0.0.1", port: 0 }));
  });
  afterEach(() => {
    for (const socket of open.splice(0)) {
      socket.terminate();
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses the upgrade with 401 without a session and with a forged token", async () => {
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(url, { authorization: "Bearer forged" })).toBe(401);
    expect(await upgradeStatus(url, { cookie: "okno_session=forged" })).toBe(401);
    expect(await upgradeStatus(url, t.as("agent1"))).toBe(101);
  });

  it("greets with hello, answers ping with pong and ignores invalid messages", async () => {
    const c = await connectAs("manager1");
    expect(await c.next("hello")).toEqual({
      type: "hello",
      protocolVersion: PROTOCOL_VERSION,
      userId: t.org.users.manager1.id,
    });
    c.socket.send("not json");
    c.socket.send(JSON.stringify({ type: "subscribe", entity: "contacts" }));
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    c.socket.send(JSON.stringify({ type: "ping" }));
    expect(await c.next("pong")).toEqual({ type: "pong" });
    expect(c.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("tells only the users who may see a new contact", async () => {
    const logins = ["manager1", "supervisor", "admin", "marketer", "manager2", "agent1"] as const;
    const c = Object.fromEntries(
      await Promise.all(logins.map(async (l) => [l, await connectAs(l)] as const)),
    ) as Record<(typeof logins)[number], TestClient>;
    const before = Date.now();

    const contact = await buildContact(t, "manager1");

    for (const login of ["manager1", "supervisor", "admin", "marketer"] as const) {
      const msg = await c[login].next("entity.changed");
      expect(msg).toEqual({
        type: "entity.changed",
        entity: "contacts",
        id: contact.id,
        action: "created",
        at: expect.stringMatching(/Z$/),
      });
      expect(Date.parse(msg.at)).toBeGreaterThanOrEqual(before - 1000);
    }
    // Notices reach a socket in commit order: if manager2 or agent1 had been told about manager1's
    // contact, it would come before the notice of their own contact, created afterwards.
    for (const login of ["manager2", "agent1"] as const) {
      const own = await buildContact(t, login);
      expect(await c[login].next("entity.changed")).toMatchObject({ id: own.id });
    }
  });

  it("tells both the previous and the new responsible user when a contact is handed over", async () => {
    const contact = await buildContact(t, "manager1");
    const m1 = await connectAs("manager1");
    const m2 = await connectAs("manager2");
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/contacts/${contact.id}`,
      headers: t.as("supervisor"),
      payload: { ownerId: t.org.users.manager2.id },
    });
    expect(res.statusCode).toBe(200);
    for (const client of [m1, m2]) {
      expect(await client.next("entity.changed")).toMatchObject({ id: contact.id, action: "updated" });
    }
  });

  it("drops malformed notices and keeps delivering", async () => {
    const admin = await connectAs("admin");
    await t.db.knex.raw("select pg_notify('okno_changes', 'not json')");
    await t.db.knex.raw("select pg_notify('okno_changes', ?)", [
      JSON.stringify({ entity: "spaceships", id: "x", owners: "everyone" }),
    ]);
    const contact = await buildContact(t, "admin");
    expect(await admin.next("entity.changed")).toMatchObject({ id: contact.id });
    expect(admin.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes the socket of a session that logs out, and only that one", async () => {
    const token = await sessionOf("manager2");
    // The browser path: the session cookie travels with the upgrade request.
    const browser = await connect(url, { cookie: `okno_session=${token}` });
    expect(await browser.next("hello")).toMatchObject({ userId: t.org.users.manager2.id });
    const api = await connectAs("manager2");

    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      cookies: { okno_session: token },
    });
    expect(res.statusCode).toBe(204);
    expect(await browser.closeCode()).toBe(WS_CLOSE_SESSION_ENDED);
    expect(await upgradeStatus(url, { cookie: `okno_session=${token}` })).toBe(401);
    api.socket.send(JSON.stringify({ type: "ping" }));
    expect(await api.next("pong")).toEqual({ type: "pong" });
  });

  it("closes every socket of a deactivated user", async () => {
    const agent2 = await connectAs("agent2");
    const agent1 = await connectAs("agent1");
    await t.db.knex("users").where("id", t.org.users.agent2.id).update({ is_active: false });
    await t.db.knex.raw("select pg_notify('okno_auth', ?)", [`user:${t.org.users.agent2.id}`]);

    expect(await agent2.closeCode()).toBe(WS_CLOSE_SESSION_ENDED);
    expect(await upgradeStatus(url, t.as("agent2"))).toBe(401);
    expect(agent1.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes every socket when a role's permissions change, so reconnects carry the new scope", async () => {
    const marketer = await connectAs("marketer");
    const res = await t.app.inject({
      method: "PATCH",
      url: "/api/v1/roles/marketer",
      headers: t.as("admin"),
      payload: {
        permissions: {
          canAdminister: false,
          scopes: {
            contacts: "own",
            companies: "own",
            leads: "own",
            deals: "own",
            tasks: "own",
            interactions: "own",
          },
        },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(await marketer.closeCode()).toBe(WS_CLOSE_SESSION_ENDED);
  });

  // PostgreSQL: a second instance with its own pool and LISTEN connection, as on a second host.
  // PGlite has one database per process: the second app shares the Db object, as two apps in one process would.
  it("delivers changes and logouts across two app instances on one database", async () => {
    const dbUrl = testDbUrl(t.db);
    const db2 = dbUrl ? await openDb({ databaseUrl: dbUrl, poolMax: 2 }) : t.db;
    const b = await buildApp({ config: testConfig(), db: db2 });
    try {
      const urlB = wsUrl(await b.listen({ host: "127.0.0.1", port: 0 }));
      const supervisorOnB = await connectAs("supervisor", urlB);
      const adminOnA = await connectAs("admin");

      const viaA = await buildContact(t, "manager1");
      expect(await supervisorOnB.next("entity.changed")).toMatchObject({ id: viaA.id, action: "created" });

      const viaB = await b.inject({
        method: "DELETE",
        url: `/api/v1/contacts/${viaA.id}`,
        headers: t.as("manager1"),
      });
      expect(viaB.statusCode).toBe(204);
      expect(await adminOnA.next("entity.changed")).toMatchObject({ id: viaA.id, action: "created" });
      expect(await adminOnA.next("entity.changed")).toMatchObject({ id: viaA.id, action: "deleted" });

      const token = await sessionOf("manager1");
      const browserOnB = await connect(urlB, { cookie: `okno_session=${token}` });
      await t.app.inject({ method: "POST", url: "/api/v1/auth/logout", cookies: { okno_session: token } });
      expect(await browserOnB.closeCode()).toBe(WS_CLOSE_SESSION_ENDED);
    } finally {
      await b.close();
      if (db2 !== t.db) {
        await db2.close();
      }
    }
  });
});
