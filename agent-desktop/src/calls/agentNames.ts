import { UserPage } from "@okno/contracts";
import { useEffect, useState } from "react";
import { api } from "../api.ts";

/** Extension → full name, for the session: colleagues' names rarely change within a day's work. */
const names = new Map<string, Promise<string | null>>();

/** The active colleague on `extension`, by the user list's extension-prefix search. */
function nameOf(extension: string): Promise<string | null> {
  let known = names.get(extension);
  if (!known) {
    const query = new URLSearchParams({ q: extension, active: "true", limit: "20" });
    known = api("GET", `/users?${query.toString()}`, { schema: UserPage, quiet: true })
      .then((page) => page.items.find((u) => u.extension === extension)?.fullName ?? null)
      .catch(() => {
        names.delete(extension);
        return null;
      });
    names.set(extension, known);
  }
  return known;
}

/** Names of the agents on these extensions, filled in as they load (the extension alone until then). */
export function useAgentNames(extensions: readonly string[]): Record<string, string> {
  const [found, setFound] = useState<Record<string, string>>({});
  const key = extensions.join(",");
  useEffect(() => {
    let isCurrent = true;
    void Promise.all(extensions.map(async (ext) => [ext, await nameOf(ext)] as const)).then((pairs) => {
      if (isCurrent) {
        setFound(Object.fromEntries(pairs.filter((p): p is readonly [string, string] => p[1] !== null)));
      }
    });
    return () => {
      isCurrent = false;
    };
    // `key` stands for the list: a new array with the same extensions is no change.
  }, [key]);
  return found;
}
