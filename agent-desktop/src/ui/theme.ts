import { createTheme } from "@mantine/core";

/** Calm colours and the system font: the desktop is open all day. */
export const theme = createTheme({
  primaryColor: "blue",
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
});
