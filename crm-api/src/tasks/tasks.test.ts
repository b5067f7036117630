import type { Task } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildContact, buildTask } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

const HOUR = 3600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe("tasks", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const patch = (login: TestLogin, id: string, payload: object) =>
    t.app.inject({ method: "PATCH", url: `/api/v1/tasks/${id}`, headers: t.as(login), payload });
  const list = async (login: TestLogin, query: Record<string, string> = {}) => {
    const res = await t.app.inject({
      url: "/api/v1/tasks",
      query: { limit: "200", ...query },
      headers: t.as(login),
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Task[]; nextCursor: string | null }>();
  };

  it("goes through its life: created open, completed, reopened, deleted", async () => {
    const contact = await buildContact(t, "manager1", { firstName: "Пётр", lastName: "Кузнецов" });
    const task = await buildTask(t, "manager1", {
      type: "callback",
      title: "Перезвонить по поводу доставки",
      phone: "8 (912) 345-00-11",
      contactId: contact.id,
      dueAt: at(2 * HOUR),
      remindAt: at(HOUR),
    });
    expect(task).toMatchObject({
      type: "callback",
      status: "open",
      phone: "+79123450011",
      ownerId: t.org.users.manager1.id,
      ownerName: "Тест manager1",
      contactId: contact.id,
      completedAt: null,
      isOverdue: false,
    });

    const done = await patch("manager1", task.id, { status: "done" });
    expect(done.statusCode).toBe(200);
    const completedAt = done.json<Task>().completedAt;
    expect(completedAt).not.toBeNull();
    expect(Math.abs(Date.parse(completedAt!) - Date.now())).toBeLessThan(60_000);

    // Saving a done task again keeps the moment it was completed.
    const edited = await patch("manager1", task.id, { description: "Клиент доволен" });
    expect(edited.json<Task>()).toMatchObject({ status: "done", completedAt });

    const reopened = await patch("manager1", task.id, { status: "open" });
    expect(reopened.json<Task>()).toMatchObject({ status: "open", completedAt: null });

    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/tasks/${task.id}`,
      headers: t.as("manager1"),
    });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ url: `/api/v1/tasks/${task.id}`, headers: t.as("manager1") });
    expect(gone.statusCode).toBe(404);
  });

  describe("validation", () => {
    it.each([
      [{ title: "Встреча", dueAt: at(HOUR), remindAt: at(2 * HOUR) }, "body.remindAt"],
      [{ title: "Позвонить", type: "call" }, "body.phone"],
      [{ title: "Перезвонить", type: "callback", phone: null }, "body.phone"],
      [{ title: "Позвонить", type: "call", phone: "12345" }, "body.phone"],
      [{ title: "   " }, "body.title"],
      [{ title: "Задача", type: "errand" }, "body.type"],
      [{ title: "Задача", dueAt: "завтра" }, "body.dueAt"],
      [{ title: "Задача", contactId: "00000000-0000-4000-8000-000000000000" }, "body.contactId"],
      [{ title: "Задача", dealId: "00000000-0000-4000-8000-000000000000" }, "body.dealId"],
      [{ title: "Задача", companyId: "00000000-0000-4000-8000-000000000000" }, "body.companyId"],
      [{ title: "Задача", leadId: "00000000-0000-4000-8000-000000000000" }, "body.leadId"],
    ])("rejects %j naming %s, writing nothing", async (payload, field) => {
      const before = await t.db.knex("tasks").count<{ n: number }[]>("* as n");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/tasks",
        headers: t.as("manager1"),
        payload,
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
      expect(body.error.code).toBe("invalid_request");
      expect(Object.keys(body.error.fields)).toContain(field);
      const after = await t.db.knex("tasks").count<{ n: number }[]>("* as n");
      expect(Number(after[0]!.n)).toBe(Number(before[0]!.n));
    });

    it("refuses to link a contact outside the user's scope as if it did not exist", async () => {
      const theirs = await buildContact(t, "manager2");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/tasks",
        headers: t.as("manager1"),
        payload: { title: "Чужой клиент", contactId: theirs.id },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        error: { fields: { "body.contactId": "no such contact in your scope" } },
      });
    });

    it("checks a PATCH against the stored task: a due time before the stored reminder", async () => {
      const task = await buildTask(t, "manager1", { dueAt: at(5 * HOUR), remindAt: at(4 * HOUR) });
      const res = await patch("manager1", task.id, { dueAt: at(3 * HOUR) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { fields: { "body.remindAt": expect.any(String) } } });
      const stored = await t.app.inject({ url: `/api/v1/tasks/${task.id}`, headers: t.as("manager1") });
      expect(stored.json<Task>().dueAt).toBe(task.dueAt);
    });

    it("checks a PATCH against the stored task: turning a task without a number into a call", async () => {
      const task = await buildTask(t, "manager1");
      const res = await patch("manager1", task.id, { type: "call" });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { fields: { "body.phone": "required for call tasks" } } });
      const ok = await patch("manager1", task.id, { type: "call", phone: "+7 495 123-45-99" });
      expect(ok.json<Task>()).toMatchObject({ type: "call", phone: "+74951234599" });
    });
  });

  it("lists overdue tasks: open and due before now, not done ones nor undated ones", async () => {
    const contact = await buildContact(t, "manager1");
    const mk = (title: string, dueAt: string | null, status: "open" | "done" = "open") =>
      buildTask(t, "manager1", { title, dueAt, status, contactId: contact.id });
    const late = await mk("Просрочена", at(-HOUR));
    await mk("Выполнена", at(-HOUR), "done");
    await mk("На завтра", at(24 * HOUR));
    await mk("Без срока", null);

    const overdue = await list("manager1", { overdue: "true", contactId: contact.id });
    expect(overdue.items.map((i) => i.id)).toEqual([late.id]);
    expect(overdue.items[0]!.isOverdue).toBe(true);
    const rest = await list("manager1", { overdue: "false", contactId: contact.id });
    expect(rest.items.map((i) => i.title).sort()).toEqual(["Без срока", "Выполнена", "На завтра"]);
  });

  it("sorts by due time with undated tasks last, paging without gaps or repeats", async () => {
    const contact = await buildContact(t, "manager1");
    const same = at(3 * HOUR);
    const dues = [at(2 * HOUR), null, same, at(HOUR), same, null, same, at(4 * HOUR)];
    const tasks = await Promise.all(
      dues.map((dueAt, i) =>
        buildTask(t, "manager1", { title: `Задача ${i}`, dueAt, contactId: contact.id }),
      ),
    );
    const key = (x: Task) => x.dueAt ?? "~";
    const byIdAsc = (a: Task, b: Task) => (a.id < b.id ? -1 : 1);
    for (const sort of ["dueAt", "-dueAt"]) {
      const desc = sort === "-dueAt";
      // Expected: dated tasks by time (ties by id, the same direction), undated ones last.
      const dated = tasks.filter((x) => x.dueAt !== null);
      const undated = tasks.filter((x) => x.dueAt === null);
      const cmp = (a: Task, b: Task) => (key(a) === key(b) ? byIdAsc(a, b) : key(a) < key(b) ? -1 : 1);
      const expected = [
        ...dated.sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b))),
        ...undated.sort((a, b) => (desc ? -byIdAsc(a, b) : byIdAsc(a, b))),
      ];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const q: Record<string, string> = { sort, limit: "3", contactId: contact.id };
        if (cursor) {
          q.cursor = cursor;
        }
        const page = await list("manager1", q);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected.map((x) => x.id));
    }
  });

  describe("scope", () => {
    let mine: Task, theirs: Task, agents: Task;
    beforeAll(async () => {
      mine = await buildTask(t, "manager1", { title: "Задача менеджера 1" });
      theirs = await buildTask(t, "manager2", { title: "Задача менеджера 2" });
      agents = await buildTask(t, "agent1", { title: "Задача оператора" });
    });
    const ids = async (login: TestLogin) => (await list(login)).items.map((i) => i.id);

    it("shows a manager only their own tasks", async () => {
      const seen = await ids("manager1");
      expect(seen).toContain(mine.id);
      expect(seen).not.toContain(theirs.id);
      expect(seen).not.toContain(agents.id);
      expect((await list("manager1")).items.every((i) => i.ownerId === t.org.users.manager1.id)).toBe(true);
    });

    it("shows a supervisor the tasks of their department, not the call centre's", async () => {
      const seen = await ids("supervisor");
      expect(seen).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(seen).not.toContain(agents.id);
    });

    it("shows an administrator every task", async () => {
      expect(await ids("admin")).toEqual(expect.arrayContaining([mine.id, theirs.id, agents.id]));
    });

    it("answers 403 to reading, changing or deleting another manager's task", async () => {
      const read = await t.app.inject({ url: `/api/v1/tasks/${theirs.id}`, headers: t.as("manager1") });
      expect(read.statusCode).toBe(403);
      expect((await patch("manager1", theirs.id, { status: "done" })).statusCode).toBe(403);
      const del = await t.app.inject({
        method: "DELETE",
        url: `/api/v1/tasks/${theirs.id}`,
        headers: t.as("manager1"),
      });
      expect(del.statusCode).toBe(403);
      const stored = await t.db.knex("tasks").where("id", theirs.id).first();
      expect(stored).toMatchObject({ status: "open" });
    });

    it("lets a supervisor hand a task to a manager, but not a manager to a colleague", async () => {
      const handed = await buildTask(t, "supervisor", { ownerId: t.org.users.manager1.id });
      expect(handed.ownerId).toBe(t.org.users.manager1.id);
      expect(await ids("manager1")).toContain(handed.id);
      const res = await patch("manager1", mine.id, { ownerId: t.org.users.manager2.id });
      expect(res.statusCode).toBe(403);
    });
  });
});
