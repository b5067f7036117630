import { Anchor } from "@mantine/core";
import { IconPhone } from "@tabler/icons-react";
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatPhone } from "../ui/format.ts";
import { dial } from "./dial.ts";

export interface PhoneLinkProps {
  /** E.164, or an extension. */
  phone: string;
  size?: "xs" | "sm" | "md";
}

/** A phone number, Russian-formatted, that dials when clicked (softphone, PBX originate or `tel:`). */
export function PhoneLink({ phone, size = "sm" }: PhoneLinkProps) {
  const { t } = useTranslation();
  const handleClick = (event: MouseEvent) => {
    event.preventDefault();
    void dial(phone).catch(() => undefined);
  };
  return (
    <Anchor
      href={`tel:${phone}`}
      onClick={handleClick}
      size={size}
      title={t("call.dial")}
      style={{ whiteSpace: "nowrap" }}
    >
      <IconPhone size={14} style={{ verticalAlign: "-2px", marginRight: 4 }} />
      {formatPhone(phone)}
    </Anchor>
  );
}
