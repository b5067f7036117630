import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { CALLBACKS_NS } from "./i18n.ts";
import { MAX_COUNTED, usePendingMissedCount } from "./useMissedCalls.ts";

/** The navigation's count of missed calls nobody has called back yet; nothing when there are none. */
export function MissedCallsBadge() {
  const { t } = useTranslation(CALLBACKS_NS);
  const count = usePendingMissedCount();
  if (!count) {
    return null;
  }
  return (
    <Badge size="sm" color="red" circle={count < 10} aria-label={t("pendingCount", { count })}>
      {count > MAX_COUNTED ? `${MAX_COUNTED}+` : count}
    </Badge>
  );
}
