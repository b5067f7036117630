import "@mantine/dates/styles.css";
import { Group } from "@mantine/core";
import { DatePickerInput, TimePicker } from "@mantine/dates";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { CALLBACKS_NS } from "./i18n.ts";

export interface DueFieldsProps {
  /** `YYYY-MM-DD` and `HH:mm` in the device's time zone (see wrapup/wrapUpBody.ts toInstant). */
  date: string;
  time: string;
  onChange: (patch: { date?: string; time?: string }) => void;
  /** The server's or the form's reason, shown under the date. */
  error?: string;
}

/**
 * When to call back (or do a task): a calendar in Russian («5 марта 2026») that starts at today, and the
 * time of day on the 24-hour clock whatever the browser's locale (a native time input may say "07:51 AM").
 * Shared by the call card's «Запланировать перезвон» and the wrap-up's next step.
 */
export function DueFields({ date, time, onChange, error }: DueFieldsProps) {
  const { t } = useTranslation(CALLBACKS_NS);
  return (
    <Group grow align="flex-start">
      <DatePickerInput
        label={t("schedule.date")}
        value={date || null}
        onChange={(value) => onChange({ date: value ?? "" })}
        valueFormat="D MMMM YYYY"
        minDate={dayjs().format("YYYY-MM-DD")}
        error={error}
        required
      />
      <TimePicker
        label={t("schedule.time")}
        value={time}
        onChange={(value) => onChange({ time: value })}
        format="24h"
        hoursInputLabel={t("schedule.hours")}
        minutesInputLabel={t("schedule.minutes")}
        required
      />
    </Group>
  );
}
