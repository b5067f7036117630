import type { CallCardContact, FieldDefinition, FieldEntity } from "@okno/contracts";
import type { CaptureEntity, ScriptGraph } from "@okno/scripts-kb";
import { useEffect, useState } from "react";
import { loadContact, loadFieldDefinitions } from "./scriptApi.ts";
import type { Contact } from "@okno/contracts";

const ENTITY_OF: Record<CaptureEntity, FieldEntity> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
};

/** The definitions of the custom fields a script's captures write, so each gets the input of its type. */
export function useCaptureDefinitions(graph: ScriptGraph | null): FieldDefinition[] {
  const [definitions, setDefinitions] = useState<FieldDefinition[]>([]);
  const entities = [
    ...new Set(
      (graph?.nodes ?? []).flatMap((n) =>
        n.type === "capture" && n.target.field.startsWith("fields.") ? [ENTITY_OF[n.target.entity]] : [],
      ),
    ),
  ].sort();
  const key = entities.join(",");

  useEffect(() => {
    let isCurrent = true;
    Promise.all(entities.map((e) => loadFieldDefinitions(e)))
      .then((lists) => {
        if (isCurrent) {
          setDefinitions(lists.flat());
        }
      })
      // Without definitions every custom field is asked for as text: still usable.
      .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
    // `key` stands for the entities.
  }, [key]);
  return definitions;
}

/** The caller's full record (first name, custom fields) for the placeholders; null when there is none. */
export function useCallContact(cardContact: CallCardContact | null | undefined): Contact | null {
  const id = cardContact && !cardContact.hidden ? cardContact.id : null;
  const [contact, setContact] = useState<Contact | null>(null);
  useEffect(() => {
    setContact(null);
    if (!id) {
      return;
    }
    const controller = new AbortController();
    // The card's own name stands in when the full record is refused or slow.
    loadContact(id, controller.signal).then(setContact, () => undefined);
    return () => controller.abort();
  }, [id]);
  return contact;
}
