import { ensureRoles } from "@okno/db";
import { openTestDb } from "@okno/db/testDb";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.ts";
import { hashPassword } from "../auth/passwords.ts";
import { insertSession } from "../auth/repo.ts";
import { hashToken, newToken } from "../auth/tokens.ts";
import { testConfig, type Config } from "../config.ts";

export type TestDb = Awaited<ReturnType<typeof openTestDb>>;

/**
 * The test company: a department tree and one user per role, placed so that scopes differ.
 *
 *   ООО «Тест» (admin)
 *   ├── Продажи (supervisor)
 *   │   ├── Отдел продаж 1 (manager1)
 *   │   └── Отдел продаж 2 (manager2)
 *   ├── Колл-центр (agent1 ext 101, agent2 ext 102)
 *   └── Маркетинг (marketer)
 */
export const TEST_USERS = {
  admin: { role: "admin", dept: "root", extension: null },
  supervisor: { role: "supervisor", dept: "sales", extension: null },
  manager1: { role: "manager", dept: "sales1", extension: "201" },
  manager2: { role: "manager", dept: "sales2", extension: "202" },
  agent1: { role: "agent", dept: "callcenter", extension: "101" },
  agent2: { role: "agent", dept: "callcenter", extension: "102" },
  marketer: { role: "marketer", dept: "marketing", extension: null },
} as const;
export type TestLogin = keyof typeof TEST_USERS;
export const TEST_PASSWORD = "test-password";

export interface TestOrg {
  departments: Record<"root" | "sales" | "sales1" | "sales2" | "callcenter" | "marketing", string>;
  users: Record<TestLogin, { id: string; token: string }>;
}

let passwordHash: Promise<string> | undefined;

export async function seedTestOrg(db: TestDb): Promise<TestOrg> {
  const k = db.knex;
  await ensureRoles(k);
  const dept = async (name: string, parent?: { id: string; path: string }) => {
    const id = crypto.randomUUID();
    const path = `${parent?.path ?? "/"}${id}/`;
    await k("departments").insert({ id, name, parent_id: parent?.id ?? null, path });
    return { id, path };
  };
  const root = await dept("ООО «Тест»");
  const sales = await dept("Продажи", root);
  const sales1 = await dept("Отдел продаж 1", sales);
  const sales2 = await dept("Отдел продаж 2", sales);
  const callcenter = await dept("Колл-центр", root);
  const marketing = await dept("Маркетинг", root);
  const depts = { root, sales, sales1, sales2, callcenter, marketing };
  // argon2 is deliberately slow: hash the shared test password once per process.
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const users = {} as TestOrg["users"];
  for (const [login, u] of Object.entries(TEST_USERS) as [TestLogin, (typeof TEST_USERS)[TestLogin]][]) {
    const [row] = await k("users")
      .insert({
        login,
        password_hash: hash,
        full_name: `Тест ${login}`,
        department_id: depts[u.dept].id,
        role_code: u.role,
        extension: u.extension,
      })
      .returning<{ id: string }[]>("id");
    const token = newToken();
    await insertSession(k, { tokenHash: hashToken(token), userId: row!.id, kind: "api", expiresAt: null });
    users[login] = { id: row!.id, token };
  }
  const departments = Object.fromEntries(
    Object.entries(depts).map(([k2, v]) => [k2, v.id]),
  ) as TestOrg["departments"];
  return { departments, users };
}

export interface TestApp {
  app: FastifyInstance;
  db: TestDb;
  org: TestOrg;
  /** Headers that authenticate as one of the test users. */
  as(login: TestLogin): { authorization: string };
  close(): Promise<void>;
}

/** A migrated database with the test company, and the app built on it. Call `close()` in afterAll. */
export async function startTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const db = await openTestDb();
  const org = await seedTestOrg(db);
  const app = await buildApp({ config: testConfig(overrides), db });
  await app.ready();
  return {
    app,
    db,
    org,
    as: (login) => ({ authorization: `Bearer ${org.users[login].token}` }),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
