import WebSocket from "ws";
import type { BenchAgent } from "./ctiSetup.ts";

/**
 * The agents' desktops as crm-api sees them: one WebSocket each (Bearer token, as an API client), noting
 * when the first `call` message of each call arrives on any of them — the moment a card would pop.
 */
export interface AgentSockets {
  /** performance.now() of the first `call` message per callId. */
  firstPush: Map<string, number>;
  messages(): number;
  close(): void;
}

export async function connectAgents(apiUrl: string, agents: BenchAgent[]): Promise<AgentSockets> {
  const firstPush = new Map<string, number>();
  let messages = 0;
  const wsUrl = `${apiUrl.replace(/^http/, "ws")}/api/v1/ws`;
  const sockets = await Promise.all(
    agents.map(
      (agent) =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${agent.token}` } });
          ws.on("message", (data: Buffer) => {
            const at = performance.now();
            messages += 1;
            // Parsing only what is needed keeps the observer's own cost out of the latency.
            const text = data.toString();
            if (text.startsWith('{"type":"hello"')) {
              resolve(ws);
              return;
            }
            if (!text.startsWith('{"type":"call"')) {
              return;
            }
            const callId = (JSON.parse(text) as { call: { callId: string } }).call.callId;
            if (!firstPush.has(callId)) {
              firstPush.set(callId, at);
            }
          });
          ws.once("error", reject);
          ws.once("unexpected-response", (_req, res) =>
            reject(new Error(`WebSocket refused: ${res.statusCode}`)),
          );
        }),
    ),
  );
  return {
    firstPush,
    messages: () => messages,
    close: () => sockets.forEach((ws) => ws.close()),
  };
}
