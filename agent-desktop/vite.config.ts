import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// crm-api serves the built app in production; in development Vite proxies the API and the socket to it.
const API = "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      // contracts' normalizePhone uses the "max" metadata (exact per-type patterns, ~40 KB gzipped) because
      // crm-api decides what a valid number is. The desktop only normalises numbers to match and dial them,
      // and the "min" metadata (length checks, ~20 KB) gives the same E.164 for every number it accepts.
      "libphonenumber-js/max": "libphonenumber-js/min",
    },
  },
  server: {
    port: 5173,
    proxy: {
      "/api/v1/ws": { target: API, ws: true },
      "/api": { target: API },
      "/docs": { target: API },
    },
  },
  build: {
    // scripts/bundleSize.ts reads the manifest to tell the agent view's initial JS from the lazy chunks.
    manifest: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
});
