import { MantineProvider } from "@mantine/core";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import "../i18n/i18n.ts";
import { theme } from "./theme.ts";

/** Component tests render inside the same providers as the app (Russian, the app's theme). */
export function renderWithProviders(ui: ReactElement): RenderResult {
  return render(<MantineProvider theme={theme}>{ui}</MantineProvider>);
}
