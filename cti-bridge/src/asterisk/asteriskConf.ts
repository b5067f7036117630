/*
 * A small reader of Asterisk .conf files, enough to check the reference configuration (asterisk-config/)
 * against what the bridge reads. It knows the common config syntax (docs.asterisk.org "Config File
 * Format"): `[section]`, templates `[name](!)` and `[name](tpl,…)`, `key = value` and `key => value`,
 * `;` comments and `;-- … --;` blocks, `#include`; and, for extensions.conf, `exten =>`, `same =>`,
 * priority labels `n(label)`, `include =>` and application arguments.
 */

export type ConfEntry = { key: string; value: string; file: string; line: number };

export type ConfSection = {
  name: string;
  isTemplate: boolean;
  /** Own entries after those inherited from its templates, in file order. */
  entries: ConfEntry[];
  file: string;
  line: number;
};

/** Reads a file named in a #include (relative to the configuration directory). */
export type ReadConfFile = (name: string) => string;

/** Removes comments; `\;` is a literal semicolon. Returns the line and whether a block comment is open. */
function stripComment(line: string, inBlock: boolean): { text: string; inBlock: boolean } {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    if (inBlock) {
      if (line.startsWith("--;", i)) {
        inBlock = false;
        i += 2;
      }
    } else if (line[i] === "\\" && line[i + 1] === ";") {
      out += ";";
      i += 1;
    } else if (line.startsWith(";--", i)) {
      inBlock = true;
      i += 2;
    } else if (line[i] === ";") {
      break;
    } else {
      out += line[i];
    }
  }
  return { text: out.trim(), inBlock };
}

/** Parses a configuration file and everything it #includes, as Asterisk does: includes are textual. */
export function parseConf(file: string, read: ReadConfFile): ConfSection[] {
  const sections: ConfSection[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) {
      throw new Error(`${name}: included twice (an include loop?)`);
    }
    seen.add(name);
    let inBlock = false;
    read(name)
      .split(/\r?\n/)
      .forEach((raw, index) => {
        const stripped = stripComment(raw, inBlock);
        inBlock = stripped.inBlock;
        const text = stripped.text;
        const include = /^#(?:try)?include\s+"?([^"]+?)"?$/.exec(text);
        if (include) {
          visit(include[1]!);
        } else if (text !== "") {
          parseLine(sections, text, name, index + 1);
        }
      });
  };
  visit(file);
  return sections;
}

function parseLine(sections: ConfSection[], text: string, file: string, line: number): void {
  const header = /^\[([^\]]+)\]\s*(?:\(([^)]*)\))?$/.exec(text);
  if (header) {
    const name = header[1]!.trim();
    const options = (header[2] ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean);
    const inherited = options
      .filter((o) => o !== "!" && o !== "+")
      .flatMap((tpl) => {
        const template = sections.findLast((s) => s.name === tpl);
        if (!template) {
          throw new Error(`${file}:${line}: [${name}] uses template ${tpl}, which is not defined before it`);
        }
        return template.entries;
      });
    const existing = options.includes("+") ? sections.findLast((s) => s.name === name) : undefined;
    if (!existing) {
      sections.push({ name, isTemplate: options.includes("!"), entries: [...inherited], file, line });
    }
    return;
  }
  const entry = /^([^=]+?)\s*=>?\s*(.*)$/.exec(text);
  const section = sections.at(-1);
  if (!entry || !section) {
    throw new Error(`${file}:${line}: cannot read "${text}"`);
  }
  section.entries.push({ key: entry[1]!.trim(), value: entry[2]!.trim(), file, line });
}

/** The non-template sections named so (pjsip.conf reuses one name for an endpoint, its aor and auth). */
export function sectionsNamed(sections: readonly ConfSection[], name: string): ConfSection[] {
  return sections.filter((s) => s.name === name && !s.isTemplate);
}

export function valuesOf(section: ConfSection, key: string): string[] {
  return section.entries.filter((e) => e.key === key).map((e) => e.value);
}

/** The last value of a key (later entries override those inherited from templates). */
export function valueOf(section: ConfSection, key: string): string | undefined {
  return valuesOf(section, key).at(-1);
}

/**
 * Splits on `sep` outside (), [], {} and `${…}`/`$[…]`: "Dial(PJSIP/101,30,b(ctx^s^1))" arguments,
 * "Goto(ctx,${EXTEN},1)" destinations.
 */
export function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") {
      depth += 1;
    } else if (ch === ")" || ch === "]" || ch === "}") {
      depth = Math.max(0, depth - 1);
    }
    if (ch === sep && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

export type DialplanStep = {
  context: string;
  exten: string;
  /** "1", "n", "hint"… */
  priority: string;
  label: string | null;
  app: string;
  args: string[];
  line: number;
};

export type DialplanContext = { name: string; steps: DialplanStep[]; includes: string[] };

/** Sections of extensions.conf that are settings, not contexts. */
const NOT_CONTEXTS = new Set(["general", "globals"]);

/** The contexts of extensions.conf: each extension's steps in file order, and the contexts it includes. */
export function toDialplan(sections: readonly ConfSection[]): Map<string, DialplanContext> {
  const contexts = new Map<string, DialplanContext>();
  for (const section of sections) {
    if (NOT_CONTEXTS.has(section.name) || section.isTemplate) {
      continue;
    }
    const context = contexts.get(section.name) ?? { name: section.name, steps: [], includes: [] };
    contexts.set(section.name, context);
    let exten: string | null = null;
    for (const entry of section.entries) {
      if (entry.key === "include") {
        context.includes.push(entry.value);
        continue;
      }
      if (entry.key !== "exten" && entry.key !== "same") {
        continue;
      }
      const parts = splitTopLevel(entry.value, ",");
      if (entry.key === "exten") {
        exten = parts.shift() ?? "";
      }
      if (exten === null) {
        throw new Error(`${entry.file}:${entry.line}: "same =>" before any "exten =>"`);
      }
      const [priorityWithLabel = "", ...rest] = parts;
      const priority = /^([^(]+)(?:\(([^)]+)\))?$/.exec(priorityWithLabel);
      const call = /^(\w+)(?:\((.*)\))?$/s.exec(rest.join(","));
      context.steps.push({
        context: section.name,
        exten,
        priority: priority?.[1] ?? priorityWithLabel,
        label: priority?.[2] ?? null,
        app: call?.[1] ?? rest.join(","),
        args: call?.[2] === undefined || call[2] === "" ? [] : splitTopLevel(call[2], ","),
        line: entry.line,
      });
    }
  }
  return contexts;
}

/** Whether an extension pattern ("_7495XXXXXXX", "_10[1-3]", "_X.") matches a dialled extension. */
export function matchesExten(pattern: string, exten: string): boolean {
  if (!pattern.startsWith("_")) {
    return pattern.replaceAll("-", "") === exten.replaceAll("-", "");
  }
  const body = pattern
    .slice(1)
    .replaceAll("-", "")
    .replace(/\[([^\]]+)\]|([XZN.!])|([^XZN.![]+)/g, (_, set: string, wild: string, literal: string) => {
      if (set) {
        return `[${set}]`;
      }
      if (wild) {
        return { X: "[0-9]", Z: "[1-9]", N: "[2-9]", ".": ".+", "!": ".*" }[wild]!;
      }
      return literal.replace(/[.*+?^${}()|\\]/g, "\\$&");
    });
  return new RegExp(`^${body}$`).test(exten);
}
