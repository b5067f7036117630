import { readFileSync } from "node:fs";
import { TRACKED_EVENTS, TRACKED_VARIABLES, variableName } from "./amiEvents.ts";
import { parseEventFilter, passesEventFilters, type AmiEventSample } from "./amiEventFilter.ts";
import {
  parseConf,
  sectionsNamed,
  toDialplan,
  valueOf,
  valuesOf,
  type ConfSection,
  type DialplanStep,
} from "./asteriskConf.ts";
import { DEFAULT_AGENT_PATTERN } from "./channels.ts";
import { pathsFrom } from "./dialplanPaths.ts";
import { RESYNC_VARIABLES } from "./resync.ts";

/*
 * asterisk-config/ is the reference PBX the bridge is written against. These checks read its files the
 * way Asterisk would and report where the PBX would not produce what the bridge reads: a context that
 * does not exist, a variable the dialplan never sets or AMI never sends, an event the filter drops.
 */

const CONFIG_DIR = new URL("../../../asterisk-config/", import.meta.url);
export type Files = Record<string, string>;

/** The reference files, by name. */
export function readReference(): Files {
  const names = ["pjsip.conf", "extensions.conf", "queues.conf", "manager.conf", "ari.conf", "http.conf"];
  return Object.fromEntries(
    [...names, "cel.conf"].map((name) => [name, readFileSync(new URL(name, CONFIG_DIR), "utf8")]),
  );
}

function load(files: Files) {
  const conf = (name: string) =>
    parseConf(name, (file) => {
      const text = files[file];
      if (text === undefined) {
        throw new Error(`#include of a missing file ${file}`);
      }
      return text;
    });
  return {
    pjsip: conf("pjsip.conf"),
    dialplan: toDialplan(conf("extensions.conf")),
    queues: conf("queues.conf"),
    manager: conf("manager.conf"),
    ari: conf("ari.conf"),
    http: conf("http.conf"),
    cel: conf("cel.conf"),
  };
}
type Reference = ReturnType<typeof load>;

const ofType = (sections: ConfSection[], type: string) =>
  sections.filter((s) => !s.isTemplate && valueOf(s, "type") === type);
const steps = (ref: Reference): DialplanStep[] => [...ref.dialplan.values()].flatMap((c) => c.steps);
const where = (s: DialplanStep) => `extensions.conf:${s.line} [${s.context}] ${s.exten}`;

/** Every context named anywhere (dialplan jumps, Local channels, includes, endpoints, queues). */
function contextReferences(ref: Reference): { context: string; from: string }[] {
  const refs: { context: string; from: string }[] = [];
  for (const ctx of ref.dialplan.values()) {
    refs.push(...ctx.includes.map((context) => ({ context, from: `include in [${ctx.name}]` })));
  }
  for (const step of steps(ref)) {
    const args = step.args.join(",");
    const jumps = /^(?:Goto|Gosub)If$/.test(step.app)
      ? (args.split("?")[1] ?? "").split(":").map((d) => d.split(","))
      : /^(?:Goto|Gosub)$/.test(step.app)
        ? [step.args]
        : [];
    const contexts = jumps.filter((d) => d.length >= 3).map((d) => d[0]!);
    contexts.push(...[...args.matchAll(/Local\/[^@,&]+@([^/,&)]+)/g)].map((m) => m[1]!));
    contexts.push(...[...args.matchAll(/\b[bBFU]\(([^^)]+)\^/g)].map((m) => m[1]!));
    refs.push(...contexts.filter((c) => !c.includes("$")).map((context) => ({ context, from: where(step) })));
  }
  for (const [file, sections] of [
    ["pjsip.conf", ofType(ref.pjsip, "endpoint")],
    ["queues.conf", ref.queues.filter((s) => s.name !== "general")],
  ] as const) {
    for (const s of sections) {
      refs.push(...valuesOf(s, "context").map((context) => ({ context, from: `${file} [${s.name}]` })));
    }
  }
  return refs;
}

function checkContexts(ref: Reference): string[] {
  return contextReferences(ref)
    .filter((r) => !ref.dialplan.has(r.context))
    .map((r) => `${r.from}: context ${r.context} does not exist`);
}

/** Dial(PJSIP/…) endpoints, queue members and Queue() names exist. */
function checkDialTargets(ref: Reference): string[] {
  const endpoints = new Set(ofType(ref.pjsip, "endpoint").map((s) => s.name));
  const queues = new Set(ref.queues.map((s) => s.name).filter((n) => n !== "general"));
  const problems: string[] = [];
  const members = ref.queues.flatMap((q) =>
    valuesOf(q, "member").map((m) => ({ m, from: `queue ${q.name}` })),
  );
  const dials = steps(ref)
    .filter((s) => s.app === "Dial")
    .flatMap((s) => (s.args[0] ?? "").split("&").map((m) => ({ m, from: where(s) })));
  for (const { m, from } of [...members, ...dials]) {
    const endpoint = /^PJSIP\/(?:[^@,]*@)?([^@,/]+)/.exec(m)?.[1];
    if (endpoint && !endpoint.includes("$") && !endpoints.has(endpoint)) {
      problems.push(`${from}: PJSIP endpoint ${endpoint} does not exist`);
    }
  }
  for (const step of steps(ref).filter((s) => s.app === "Queue")) {
    if (!queues.has(step.args[0] ?? "")) {
      problems.push(`${where(step)}: queue ${step.args[0]} is not in queues.conf`);
    }
  }
  return problems;
}

/** Variables a step sets, without the inheritance prefix: Set(__CRM_DID=…) → CRM_DID; MixMonitor sets its file name. */
function setsOf(step: DialplanStep): { name: string; isInherited: boolean }[] {
  if (step.app === "MixMonitor") {
    return [{ name: "MIXMONITOR_FILENAME", isInherited: false }];
  }
  if (step.app !== "Set" && step.app !== "MSet") {
    return [];
  }
  return step.args.map((arg) => {
    const raw = arg.slice(0, Math.max(0, arg.indexOf("=")));
    return { name: variableName(raw), isInherited: raw.startsWith("__") };
  });
}

/** Contexts calls from the PSTN start in: those of endpoints matched by a `type = identify`. */
function inboundContexts(ref: Reference): string[] {
  const trunks = new Set(ofType(ref.pjsip, "identify").map((s) => valueOf(s, "endpoint")));
  return ofType(ref.pjsip, "endpoint")
    .filter((s) => trunks.has(s.name))
    .map((s) => valueOf(s, "context") ?? "default");
}

/**
 * Every inbound path that reaches an agent (Queue or Dial) sets the inherited CRM_DID and CRM_RECORDING
 * and starts MixMonitor first; over all inbound paths, every variable the bridge reads is set.
 */
function checkInboundPaths(ref: Reference): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  let reachesAgents = 0;
  for (const context of inboundContexts(ref)) {
    const extens = new Set((ref.dialplan.get(context)?.steps ?? []).map((s) => s.exten));
    for (const exten of extens) {
      for (const path of pathsFrom(ref.dialplan, context, exten)) {
        const sets = path.flatMap(setsOf);
        sets.forEach((v) => seen.add(v.name));
        const at = path.findIndex((s) => s.app === "Queue" || s.app === "Dial");
        if (at < 0) {
          continue;
        }
        reachesAgents += 1;
        const before = path.slice(0, at).flatMap(setsOf);
        for (const name of ["CRM_DID", "CRM_RECORDING", "MIXMONITOR_FILENAME"]) {
          const set = before.find((v) => v.name === name);
          if (!set || (name.startsWith("CRM_") && !set.isInherited)) {
            problems.push(`[${context}] ${exten}: reaches ${path[at]!.app} without setting __${name}`);
          }
        }
      }
    }
  }
  if (reachesAgents === 0) {
    problems.push("no inbound path reaches a Queue or Dial");
  }
  for (const name of new Set([...TRACKED_VARIABLES, ...RESYNC_VARIABLES])) {
    if (!seen.has(name)) {
      problems.push(`the inbound dialplan never sets ${name}`);
    }
  }
  return problems;
}

function checkRecordings(ref: Reference): string[] {
  const mixMonitors = steps(ref).filter((s) => s.app === "MixMonitor");
  return [
    ...(mixMonitors.length === 0 ? ["no MixMonitor in the dialplan"] : []),
    ...mixMonitors
      .filter((s) => !/\$\{LINKEDID\}\.\w+$/.test(s.args[0] ?? ""))
      .map((s) => `${where(s)}: MixMonitor file ${s.args[0]} is not named by \${LINKEDID}`),
  ];
}

const SAMPLE_CHANNELS = ["PJSIP/101-00000001", "PJSIP/trunk-00000002", "Local/102@from-agents-00000000;1"];

/** Events the tracker reads, as Asterisk would send them (each tracked variable with each prefix). */
export function trackedSamples(): AmiEventSample[] {
  return [...TRACKED_EVENTS].flatMap((name) =>
    SAMPLE_CHANNELS.flatMap((Channel): AmiEventSample[] => {
      const base = { Event: name, Channel, Uniqueid: "1795456786.3", Linkedid: "1795456786.3" };
      if (name === "VarSet") {
        return [...TRACKED_VARIABLES].flatMap((v) =>
          ["", "_", "__"].map((prefix) => ({ ...base, Variable: `${prefix}${v}`, Value: "x" })),
        );
      }
      return [name === "CEL" ? { ...base, EventName: "LINKEDID_END", LinkedID: base.Linkedid } : base];
    }),
  );
}

/** The bulk of AMI traffic the tracker ignores (fixtures README, "Events per call"). */
const NOISE: AmiEventSample[] = [
  { Event: "Newexten", Channel: "PJSIP/trunk-00000002", Application: "Queue" },
  { Event: "VarSet", Channel: "PJSIP/101-00000001", Variable: "SIPDOMAIN", Value: "127.0.0.1" },
  { Event: "DeviceStateChange", Device: "PJSIP/101", State: "INUSE" },
  { Event: "RTCPSent", Channel: "PJSIP/101-00000001" },
];

/** channelvars lists the tracked variables; the bridge's AMI user reads what the tracker handles. */
function checkManager(ref: Reference): string[] {
  const problems: string[] = [];
  const general = sectionsNamed(ref.manager, "general")[0];
  const channelvars = new Set((general ? valuesOf(general, "channelvars") : []).flatMap((v) => v.split(",")));
  for (const name of TRACKED_VARIABLES) {
    if (!channelvars.has(name)) {
      problems.push(`manager.conf: channelvars lacks ${name}`);
    }
  }
  const users = ref.manager.filter((s) => s.name !== "general" && valueOf(s, "secret") !== undefined);
  if (users.length === 0) {
    problems.push("manager.conf: no AMI user");
  }
  for (const user of users) {
    const filters = user.entries
      .filter((e) => e.key.startsWith("eventfilter"))
      .map((e) => parseEventFilter(e.key, e.value));
    const dropped = new Set(
      trackedSamples()
        .filter((e) => !passesEventFilters(filters, e))
        .map((e) => (e.Variable ? `${e.Event} ${e.Variable}` : e.Event!)),
    );
    problems.push(...[...dropped].map((name) => `manager.conf [${user.name}]: eventfilter drops ${name}`));
    const noise = NOISE.filter((e) => passesEventFilters(filters, e));
    problems.push(...noise.map((e) => `manager.conf [${user.name}]: eventfilter lets ${e.Event} through`));
    const read = new Set((valueOf(user, "read") ?? "").split(",").map((c) => c.trim()));
    for (const cls of ["call", "dialplan", "agent", "cdr"].filter((c) => !read.has(c) && !read.has("all"))) {
      problems.push(`manager.conf [${user.name}]: read lacks ${cls}`);
    }
  }
  return problems;
}

/** A WSS transport, agents on it as WebRTC endpoints, and a trunk that lands somewhere. */
function checkPjsip(ref: Reference): string[] {
  const wss = new Set(
    ofType(ref.pjsip, "transport")
      .filter((t) => valueOf(t, "protocol") === "wss")
      .map((t) => t.name),
  );
  const agents = ofType(ref.pjsip, "endpoint").filter((e) => DEFAULT_AGENT_PATTERN.test(`PJSIP/${e.name}`));
  return [
    ...(wss.size === 0 ? ["pjsip.conf: no transport with protocol = wss"] : []),
    ...(agents.length === 0 ? ["pjsip.conf: no agent endpoints"] : []),
    ...agents.flatMap((a) => [
      ...(wss.has(valueOf(a, "transport") ?? "")
        ? []
        : [`pjsip.conf [${a.name}]: agent not on the WSS transport`]),
      ...(valueOf(a, "webrtc") === "yes" ? [] : [`pjsip.conf [${a.name}]: agent without webrtc = yes`]),
    ]),
    ...(inboundContexts(ref).length === 0 ? ["pjsip.conf: no trunk endpoint with a type = identify"] : []),
  ];
}

/** ARI user, HTTP server with TLS for WSS, the Stasis app the bridge registers, CEL LINKEDID_END. */
function checkServices(ref: Reference, ariApp: string): string[] {
  const http = sectionsNamed(ref.http, "general")[0];
  const ariGeneral = sectionsNamed(ref.ari, "general")[0];
  const celGeneral = sectionsNamed(ref.cel, "general")[0];
  const celManager = sectionsNamed(ref.cel, "manager")[0];
  const stasisApps = steps(ref)
    .filter((s) => s.app === "Stasis")
    .map((s) => s.args[0]);
  const checks: [boolean, string][] = [
    [ariGeneral !== undefined && valueOf(ariGeneral, "enabled") === "yes", "ari.conf: ARI not enabled"],
    [ofType(ref.ari, "user").some((u) => valueOf(u, "password")), "ari.conf: no user with a password"],
    [http !== undefined && valueOf(http, "enabled") === "yes", "http.conf: HTTP server not enabled"],
    [http !== undefined && valueOf(http, "tlsenable") === "yes", "http.conf: no TLS for WSS"],
    [stasisApps.includes(ariApp), `extensions.conf: no Stasis(${ariApp}) for ARI_APP`],
    [celGeneral !== undefined && valueOf(celGeneral, "enable") === "yes", "cel.conf: CEL not enabled"],
    [
      (celGeneral ? (valueOf(celGeneral, "events") ?? "") : "").includes("LINKEDID_END"),
      "cel.conf: no LINKEDID_END",
    ],
    [celManager !== undefined && valueOf(celManager, "enabled") === "yes", "cel.conf: CEL not sent to AMI"],
  ];
  return checks.filter(([ok]) => !ok).map(([, problem]) => problem);
}

/** Everything wrong with a configuration, as messages naming the file and place; [] when it is right. */
export function checkReferenceConfig(files: Files, ariApp: string): string[] {
  const ref = load(files);
  return [
    ...checkContexts(ref),
    ...checkDialTargets(ref),
    ...checkInboundPaths(ref),
    ...checkRecordings(ref),
    ...checkManager(ref),
    ...checkPjsip(ref),
    ...checkServices(ref, ariApp),
  ];
}
