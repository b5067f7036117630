/** A signed-in API client for a demo login (password `demo`), for setting up and checking journeys. */
export type ApiClient = (path: string, init?: RequestInit) => Promise<Response>;

export async function apiAs(crmApiUrl: string, login: string): Promise<ApiClient> {
  const res = await fetch(`${crmApiUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, password: "demo" }),
  });
  if (!res.ok) {
    throw new Error(`login ${login}: HTTP ${res.status} ${await res.text()}`);
  }
  const { token } = (await res.json()) as { token: string };
  return (path, init = {}) =>
    fetch(`${crmApiUrl}/api/v1${path}`, {
      ...init,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...init.headers },
    });
}
