import { vi } from "vitest";

export interface FetchCall {
  method: string;
  url: string;
  body: unknown;
}

type Responder = (call: FetchCall) => { status?: number; body?: unknown } | undefined;

/**
 * Stubs `fetch` with one responder for every request (method, path with query, parsed JSON body) and
 * records the calls; a request nobody answers gets a 404 so a test sees what it forgot.
 */
export function stubFetch(respond: Responder): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const call: FetchCall = {
        method: init.method ?? "GET",
        url: input,
        body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
      };
      calls.push(call);
      const answer = respond(call) ?? {
        status: 404,
        body: { error: { code: "not_found", message: "not stubbed" } },
      };
      const status = answer.status ?? 200;
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), { status });
    }),
  );
  return calls;
}
