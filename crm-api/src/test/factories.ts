import type { Contact, ContactCreateInput } from "@okno/contracts";
import type { TestApp, TestLogin } from "./testApp.ts";

let counter = 0;

/** A unique valid Russian mobile number per call, so tests never collide on the unique phone index. */
export function uniquePhone(): string {
  counter += 1;
  const n = (Date.now() % 1_000_000) * 100 + (counter % 100);
  return `+7916${String(n).padStart(7, "0").slice(-7)}`;
}

/** Creates a contact through the API as `login`; fields default to a plausible person. */
export async function buildContact(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<ContactCreateInput> = {},
): Promise<Contact> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/contacts",
    headers: t.as(login),
    payload: { lastName: "Иванов", firstName: "Иван", phones: [{ phone: uniquePhone() }], ...overrides },
  });
  if (res.statusCode !== 201) {
    throw new Error(`buildContact failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<Contact>();
}
