import type { Knex } from "knex";
import { ensureRoles } from "../src/seedRoles.ts";

export interface DemoUser {
  login: string;
  fullName: string;
  role: "admin" | "supervisor" | "manager" | "agent" | "marketer";
  dept: "root" | "sales" | "sales1" | "sales2" | "callcenter" | "marketing";
  extension: string | null;
}

/** The logins README promises (ARCHITECTURE §10), then colleagues up to 25 people. */
export const DEMO_USERS: DemoUser[] = [
  { login: "admin", fullName: "Кравцов Денис Игоревич", role: "admin", dept: "root", extension: null },
  {
    login: "supervisor",
    fullName: "Белова Ирина Викторовна",
    role: "supervisor",
    dept: "sales",
    extension: "200",
  },
  {
    login: "manager1",
    fullName: "Орлов Максим Сергеевич",
    role: "manager",
    dept: "sales1",
    extension: "201",
  },
  {
    login: "manager2",
    fullName: "Зайцева Ольга Андреевна",
    role: "manager",
    dept: "sales2",
    extension: "202",
  },
  {
    login: "agent1",
    fullName: "Смирнова Анна Павловна",
    role: "agent",
    dept: "callcenter",
    extension: "101",
  },
  {
    login: "agent2",
    fullName: "Никитин Артём Олегович",
    role: "agent",
    dept: "callcenter",
    extension: "102",
  },
  { login: "agent3", fullName: "Фролова Дарья Юрьевна", role: "agent", dept: "callcenter", extension: "103" },
  {
    login: "marketer",
    fullName: "Гусева Полина Николаевна",
    role: "marketer",
    dept: "marketing",
    extension: null,
  },
  {
    login: "cc.supervisor",
    fullName: "Тарасов Олег Борисович",
    role: "supervisor",
    dept: "callcenter",
    extension: "100",
  },
  {
    login: "marketer2",
    fullName: "Ильин Кирилл Михайлович",
    role: "marketer",
    dept: "marketing",
    extension: null,
  },
  ...[
    "Морозов Павел Иванович",
    "Лебедева Екатерина Дмитриевна",
    "Козлов Роман Владимирович",
    "Соколова Мария Алексеевна",
    "Павлов Игорь Евгеньевич",
    "Егорова Наталья Сергеевна",
    "Степанов Никита Андреевич",
    "Алексеева Юлия Викторовна",
  ].map((fullName, i): DemoUser => ({
    login: `manager${i + 3}`,
    fullName,
    role: "manager",
    dept: i % 2 === 0 ? "sales1" : "sales2",
    extension: String(203 + i),
  })),
  ...[
    "Волкова Светлана Олеговна",
    "Новиков Андрей Петрович",
    "Макарова Ксения Игоревна",
    "Захаров Илья Николаевич",
    "Соловьёва Вера Михайловна",
    "Борисов Егор Павлович",
    "Яковлева Алина Юрьевна",
  ].map((fullName, i): DemoUser => ({
    login: `agent${i + 4}`,
    fullName,
    role: "agent",
    dept: "callcenter",
    extension: String(104 + i),
  })),
];

export type DemoDepartments = Record<DemoUser["dept"], string>;

/** Departments, roles and the 25 users of the demo company; returns user ids by login. */
export async function seedDemoOrg(
  db: Knex,
  passwordHash: string,
): Promise<{ departments: DemoDepartments; users: Map<string, string> }> {
  await ensureRoles(db);
  const dept = async (name: string, parent?: { id: string; path: string }) => {
    const id = crypto.randomUUID();
    const path = `${parent?.path ?? "/"}${id}/`;
    await db("departments").insert({ id, name, parent_id: parent?.id ?? null, path });
    return { id, path };
  };
  const root = await dept("ООО «Уют» — мебельная фабрика");
  const sales = await dept("Отдел продаж", root);
  const depts = {
    root,
    sales,
    sales1: await dept("Группа продаж 1", sales),
    sales2: await dept("Группа продаж 2", sales),
    callcenter: await dept("Колл-центр", root),
    marketing: await dept("Маркетинг", root),
  };
  const rows = DEMO_USERS.map((u) => ({
    login: u.login,
    password_hash: passwordHash,
    full_name: u.fullName,
    email: `${u.login.replace(".", "-")}@uyut-demo.ru`,
    extension: u.extension,
    department_id: depts[u.dept].id,
    role_code: u.role,
  }));
  const inserted = await db("users").insert(rows).returning<{ id: string; login: string }[]>(["id", "login"]);
  const departments = Object.fromEntries(Object.entries(depts).map(([k, v]) => [k, v.id])) as DemoDepartments;
  return { departments, users: new Map(inserted.map((u) => [u.login, u.id])) };
}
