import { describe, expect, it } from "vitest";
import { patronymic } from "./names.ts";

describe("patronymic", () => {
  it.each([
    ["Сергей", "Сергеевич", "Сергеевна"],
    ["Юрий", "Юрьевич", "Юрьевна"],
    ["Игорь", "Игоревич", "Игоревна"],
    ["Иван", "Иванович", "Ивановна"],
    ["Пётр", "Петрович", "Петровна"],
    ["Анатолий", "Анатольевич", "Анатольевна"],
    ["Дмитрий", "Дмитриевич", "Дмитриевна"],
    ["Михаил", "Михайлович", "Михайловна"],
  ])("%s → %s / %s", (father, male, female) => {
    expect(patronymic(father, false)).toBe(male);
    expect(patronymic(father, true)).toBe(female);
  });
});
