import { formatPhone as formatInternational } from "@okno/contracts";
import dayjs from "dayjs";

/**
 * A phone as Russians write it: "+7 (495) 123-45-67". Other countries get the international format;
 * an extension or anything that is not E.164 is shown as it is.
 */
export function formatPhone(value: string): string {
  const ru = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(value);
  if (ru) {
    return `+7 (${ru[1]}) ${ru[2]}-${ru[3]}-${ru[4]}`;
  }
  return value.startsWith("+") ? formatInternational(value) : value;
}

const roubles = new Intl.NumberFormat("ru-RU", {
  style: "currency",
  currency: "RUB",
  maximumFractionDigits: 0,
});
const withKopecks = new Intl.NumberFormat("ru-RU", {
  style: "currency",
  currency: "RUB",
  minimumFractionDigits: 2,
});

/** Money is integer kopecks on the wire: 1234500 → "12 345 ₽", 1050 → "10,50 ₽". */
export function formatMoney(kopecks: number): string {
  return (kopecks % 100 === 0 ? roubles : withKopecks).format(kopecks / 100);
}

/** "5 мар., 14:30" this year, "5 мар. 2024 г., 14:30" otherwise (dayjs carries the locale). */
export function formatDateTime(iso: string): string {
  const d = dayjs(iso);
  return d.format(d.year() === dayjs().year() ? "D MMM, HH:mm" : "D MMM YYYY, HH:mm");
}

/** A calendar date ("2026-03-05") as "5 марта 2026". */
export function formatDate(isoDate: string): string {
  return dayjs(isoDate).format("D MMMM YYYY");
}

export function formatTime(iso: string): string {
  return dayjs(iso).format("HH:mm");
}

/** Talk time: 75 → "1:15", 3700 → "1:01:40". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
