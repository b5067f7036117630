import { describe, expect, it } from "vitest";
import { formatDuration, formatMoney, formatPhone } from "./format.ts";

describe("formatPhone", () => {
  it("writes a Russian number with the area code in brackets", () => {
    expect(formatPhone("+74951234567")).toBe("+7 (495) 123-45-67");
    expect(formatPhone("+79123456789")).toBe("+7 (912) 345-67-89");
  });

  it("keeps foreign numbers international and extensions as they are", () => {
    expect(formatPhone("+375291234567")).toBe("+375 29 123 45 67");
    expect(formatPhone("101")).toBe("101");
  });
});

describe("formatMoney", () => {
  it("shows kopecks as roubles with a thin-space thousands separator", () => {
    expect(formatMoney(1234500).replace(/\s/g, " ")).toBe("12 345 ₽");
    expect(formatMoney(1050).replace(/\s/g, " ")).toBe("10,50 ₽");
  });
});

describe("formatDuration", () => {
  it("shows minutes and seconds, hours only when there are some", () => {
    expect(formatDuration(75)).toBe("1:15");
    expect(formatDuration(3700)).toBe("1:01:40");
  });
});
