import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { MantineProvider } from "@mantine/core";
import { DatesProvider } from "@mantine/dates";
import { Notifications } from "@mantine/notifications";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { config } from "./config.ts";
import { i18n } from "./i18n/i18n.ts";
import { registerServiceWorker } from "./pwa/registerServiceWorker.ts";
import { theme } from "./ui/theme.ts";

const root = document.getElementById("root");
if (!root) {
  throw new Error("index.html has no #root");
}
document.documentElement.lang = i18n.language;

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: 1 }}>
        <Notifications position="top-right" />
        <App />
      </DatesProvider>
    </MantineProvider>
  </StrictMode>,
);

if (config.isProduction) {
  registerServiceWorker();
}
