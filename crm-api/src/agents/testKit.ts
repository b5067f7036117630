import { once } from "node:events";
import { ServerMessage } from "@okno/contracts";
import { WebSocket } from "ws";
import type { TestApp, TestLogin } from "../test/testApp.ts";

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

export interface Inbox {
  socket: WebSocket;
  /** The next message of this type (others are kept for their own `next`); rejects after `ms`. */
  next<T extends ServerMessage["type"]>(type: T, ms?: number): Promise<Of<T>>;
  /** True when no message of this type arrives within `ms`. */
  quiet(type: ServerMessage["type"], ms?: number): Promise<boolean>;
}

/** A real socket on /api/v1/ws that keeps every ServerMessage (each must parse) by type. */
export async function openMessages(url: string, headers: Record<string, string>): Promise<Inbox> {
  const socket = new WebSocket(url, { headers });
  const kept: ServerMessage[] = [];
  let wake = () => {};
  socket.on("message", (data: Buffer) => {
    kept.push(ServerMessage.parse(JSON.parse(data.toString("utf8"))));
    wake();
  });
  await once(socket, "open");
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const take = <T extends ServerMessage["type"]>(type: T): Of<T> | undefined => {
    const i = kept.findIndex((m) => m.type === type);
    return i < 0 ? undefined : (kept.splice(i, 1)[0] as Of<T>);
  };
  return {
    socket,
    async next(type, ms = 3000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = take(type);
        if (found) {
          return found;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`no ${type} message within ${ms} ms`);
        }
        await wait(left);
      }
    },
    async quiet(type, ms = 300) {
      const deadline = Date.now() + ms;
      while (!kept.some((m) => m.type === type) && Date.now() < deadline) {
        await wait(deadline - Date.now());
      }
      return !kept.some((m) => m.type === type);
    },
  };
}

/** Listens on a random loopback port; returns a function that opens a user's socket (closed by `closeAll`). */
export async function socketsFor(t: TestApp) {
  const url = `${(await t.app.listen({ host: "127.0.0.1", port: 0 })).replace(/^http/, "ws")}/api/v1/ws`;
  const open: WebSocket[] = [];
  return {
    async inbox(login: TestLogin): Promise<Inbox> {
      const inbox = await openMessages(url, t.as(login));
      open.push(inbox.socket);
      return inbox;
    },
    closeAll() {
      for (const s of open.splice(0)) {
        s.terminate();
      }
    },
  };
}

/** The field names of a 400 answer (`error.fields`). */
export function fieldsOf(res: { json<T>(): T }): string[] {
  return Object.keys(res.json<{ error: { fields?: Record<string, string> } }>().error.fields ?? {});
}
