import type { Knex } from "knex";
import { seedDemoCatalog } from "./demoCatalog.ts";
import { seedDemoCustomers } from "./demoCustomers.ts";
import { DEMO_USERS, seedDemoOrg } from "./demoOrg.ts";
import { seedDemoScripts } from "./demoScripts.ts";
import { seedDemoWork } from "./demoWork.ts";
import { createRandom } from "./random.ts";

export { DEMO_USERS };

export type SeedProgress = (step: string, done: number, total: number) => void;

/**
 * The demo company «Уют»: 25 users, two pipelines, sources with a tracking number, 300 contacts at 60 companies,
 * leads, deals, tasks and a timeline. `passwordHash` is the argon2 hash of the demo password, made by the caller.
 * Runs in one transaction: a half-seeded database is never left behind.
 */
export async function seedDemo(
  db: Knex,
  passwordHash: string,
  onProgress: SeedProgress = () => {},
): Promise<void> {
  const steps = ["users", "catalog", "customers", "work"];
  const r = createRandom(20261123);
  await db.transaction(async (trx) => {
    onProgress(steps[0]!, 0, steps.length);
    const org = await seedDemoOrg(trx, passwordHash);
    const byRole = (role: string) =>
      DEMO_USERS.filter((u) => u.role === role).map((u) => org.users.get(u.login)!);
    onProgress(steps[1]!, 1, steps.length);
    const catalog = await seedDemoCatalog(trx);
    onProgress(steps[2]!, 2, steps.length);
    const customers = await seedDemoCustomers(
      trx,
      r,
      { managers: byRole("manager"), agents: byRole("agent") },
      catalog.sources,
      {
        companies: 60,
        contacts: 300,
      },
    );
    onProgress(steps[3]!, 3, steps.length);
    await seedDemoWork(trx, r, catalog, customers, { leads: 40, deals: 80, tasks: 60, interactions: 400 });
    await seedDemoScripts(trx, org.users.get("admin")!);
    onProgress("done", steps.length, steps.length);
  });
}

/** True when the database holds no users yet: the demo seed runs only on a first start. */
export async function isEmpty(db: Knex): Promise<boolean> {
  const row = await db("users").first<{ id: string } | undefined>("id");
  return row === undefined;
}
