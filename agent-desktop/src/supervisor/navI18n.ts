import { i18n } from "../i18n/i18n.ts";

export const SUPERVISOR_NS = "supervisor";

/*
 * The menu's labels for the supervisor's screens. They ship in the first bundle with the menu; every
 * other string of the namespace is in i18n.ts, which loads with the screens themselves.
 */
i18n.addResourceBundle(
  "ru",
  SUPERVISOR_NS,
  { nav: { calls: "Журнал звонков", board: "Монитор операторов" } },
  true,
  false,
);
i18n.addResourceBundle(
  "en",
  SUPERVISOR_NS,
  { nav: { calls: "Calls journal", board: "Agents board" } },
  true,
  false,
);
