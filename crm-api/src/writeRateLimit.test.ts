import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "./config.ts";
import { uniquePhone } from "./test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "./test/testApp.ts";

describe("per-user write rate limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ auth: { ...testConfig().auth, writeRateLimit: 3 } });
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (login: TestLogin) =>
    t.app.inject({
      method: "POST",
      url: "/api/v1/contacts",
      headers: t.as(login),
      payload: { firstName: "Лимит", phones: [{ phone: uniquePhone() }] },
    });

  it("answers 429 to a user past the limit, with Retry-After, and keeps others and reads going", async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await create("manager1")).statusCode);
    }
    expect(codes).toEqual([201, 201, 201, 429]);
    const limited = await create("manager1");
    expect(limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await create("manager2")).statusCode).toBe(201);
    const read = await t.app.inject({ url: "/api/v1/contacts", headers: t.as("manager1") });
    expect(read.statusCode).toBe(200);
    expect(await t.db.knex("contacts").where("first_name", "Лимит").count<{ n: number }[]>("* as n")).toEqual(
      [{ n: 4 }],
    );
  });
});
