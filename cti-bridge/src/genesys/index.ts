// The Genesys Cloud adapter's public surface. Vendor payload shapes stay inside this folder.
export {
  startGenesysAdapter,
  topicsOf,
  type GenesysAdapter,
  type GenesysAdapterOptions,
  type GenesysAdapterStats,
} from "./adapter.ts";
export { GenesysApiError } from "./api.ts";
