import { describe, expect, it } from "vitest";
import { formatPhone, normalizePhone } from "./phone.ts";

describe("normalizePhone", () => {
  it.each(["8 (912) 345-67-89", "+7 912 345 67 89", "9123456789", "89123456789", "7-912-345-67-89"])(
    "reads %s as +79123456789",
    (input) => {
      expect(normalizePhone(input)).toBe("+79123456789");
    },
  );

  it("keeps Moscow landlines", () => {
    expect(normalizePhone("8 (495) 123-45-67")).toBe("+74951234567");
  });

  it("keeps foreign numbers with their own country code", () => {
    expect(normalizePhone("+375 29 123-45-67")).toBe("+375291234567");
  });

  it.each(["", "123", "hello", "+7 912 345", "8 (000) 000-00-00"])("rejects %j", (input) => {
    expect(normalizePhone(input)).toBeNull();
  });

  it("formats for display", () => {
    expect(formatPhone("+79123456789")).toBe("+7 912 345 67 89");
  });
});
