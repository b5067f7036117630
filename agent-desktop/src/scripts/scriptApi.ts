import { Contact, FieldDefinitionList, type FieldDefinition, type FieldEntity } from "@okno/contracts";
import {
  ResolvedScript,
  ScriptRun,
  ScriptSummary,
  ScriptVersion,
  type ScriptRunInput,
} from "@okno/scripts-kb";
import { api } from "../api.ts";

// The panel shows its own errors next to the script (quiet): a toast in the middle of a call is easy to miss.

export function resolveCallScript(callId: string): Promise<ResolvedScript> {
  const query = new URLSearchParams({ callId });
  return api("GET", `/scripts/resolve?${query.toString()}`, { schema: ResolvedScript, quiet: true });
}

// agent-desktop does not depend on zod itself: the list is parsed with the item schema scripts-kb exports.
const ScriptList = {
  parse: (data: unknown) => ScriptSummary.array().parse((data as { items?: unknown }).items),
};

/** Agents get the published, unarchived scripts; editors get all of them. */
export function listScripts(signal?: AbortSignal): Promise<ScriptSummary[]> {
  return api("GET", "/scripts", { schema: ScriptList, quiet: true, signal });
}

export function loadVersion(versionId: string): Promise<ScriptVersion> {
  return api("GET", `/scripts/versions/${encodeURIComponent(versionId)}`, {
    schema: ScriptVersion,
    quiet: true,
  });
}

export function postScriptRun(interactionId: string, body: ScriptRunInput): Promise<ScriptRun> {
  return api("POST", `/interactions/${encodeURIComponent(interactionId)}/script-run`, {
    body,
    schema: ScriptRun,
    quiet: true,
  });
}

export function loadContact(id: string, signal: AbortSignal): Promise<Contact> {
  return api("GET", `/contacts/${encodeURIComponent(id)}`, { schema: Contact, quiet: true, signal });
}

// Field definitions change rarely: one request per entity for the desktop's life (a failure is retried).
const definitions = new Map<FieldEntity, Promise<FieldDefinition[]>>();

export function loadFieldDefinitions(entity: FieldEntity): Promise<FieldDefinition[]> {
  let loading = definitions.get(entity);
  if (!loading) {
    loading = api("GET", `/fields?entity=${entity}`, { schema: FieldDefinitionList, quiet: true }).then(
      (list) => list.items,
    );
    loading.catch(() => definitions.delete(entity));
    definitions.set(entity, loading);
  }
  return loading;
}
