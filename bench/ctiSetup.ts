import type { Knex } from "knex";
import { insertSession } from "../crm-api/src/auth/repo.ts";
import { hashToken, newToken } from "../crm-api/src/auth/tokens.ts";

/**
 * A call centre of 50 teams of three: each synthetic call is played by one team in the roles the
 * captures' agents 101, 102 and 103 have (answer, consult, take the transfer). Fifty calls a second on
 * three agents would measure three people's row locks, not a call centre.
 */
export const TEAMS: readonly (readonly [string, string, string])[] = Array.from({ length: 50 }, (_, t) => {
  const ext = (k: number) => String(2000 + t * 3 + k);
  return [ext(1), ext(2), ext(3)] as const;
});
/** The captures' call-tracking DID (ARCHITECTURE §10), attributed to a source as in production. */
const TRACKING_DID = "+74957654321";

export interface BenchAgent {
  id: string;
  extension: string;
  token: string;
}

/**
 * Agents with the captures' extensions, each with a fresh API token for its WebSocket, and the tracking
 * number's source: what a company has configured before its calls come in. Idempotent across runs.
 */
export async function prepareCallCentre(knex: Knex): Promise<BenchAgent[]> {
  const department = await knex("departments").orderBy("path").first<{ id: string }>("id");
  const { password_hash: passwordHash } = await knex("users")
    .where("login", "admin")
    .first<{ password_hash: string }>("password_hash");
  const agents: BenchAgent[] = [];
  for (const extension of TEAMS.flat()) {
    const login = `agent${extension}`;
    if (!(await knex("users").where("login", login).first())) {
      await knex("users").insert({
        login,
        full_name: `Оператор ${extension}`,
        role_code: "agent",
        department_id: department.id,
        password_hash: passwordHash,
        extension,
      });
    }
    const { id } = await knex("users").where("login", login).first<{ id: string }>("id");
    await knex("sessions").where("user_id", id).delete();
    const token = newToken();
    await insertSession(knex, {
      tokenHash: hashToken(token),
      userId: id,
      kind: "api",
      name: "bench",
      expiresAt: null,
    });
    agents.push({ id, extension, token });
  }
  if (!(await knex("tracking_numbers").where("phone", TRACKING_DID).first())) {
    const [source] = await knex("sources")
      .insert({ name: "Бенч: контекстная реклама" })
      .returning<{ id: string }[]>("id");
    await knex("tracking_numbers").insert({ phone: TRACKING_DID, kind: "static", source_id: source!.id });
  }
  return agents;
}

/** Synthetic call ids ("ast1:18…") and the floor's ("floor:…"), from this run or an interrupted one. */
const BENCH_CALLS = "call_id like 'ast1:18%' or call_id like 'floor:%'";

/**
 * Removes what a run added to the shared benchmark database: its calls and their events, and the
 * contacts, leads and tasks created since `since` (numbers nobody had, callbacks for abandoned calls).
 */
export async function removeRunData(knex: Knex, since: Date | null): Promise<void> {
  await knex("cti_events").whereRaw("call_id like 'ast1:18%'").delete();
  await knex("interactions").whereRaw(BENCH_CALLS).delete();
  if (!since) {
    return;
  }
  await knex("tasks").where("created_at", ">=", since).delete();
  await knex("leads").where("created_at", ">=", since).delete();
  await knex("contacts").where("created_at", ">=", since).delete();
}
