import type { Knex } from "knex";
import * as createOrgTables from "./20261123000000_create_org_tables.ts";
import * as createCustomerTables from "./20261123000100_create_customer_tables.ts";
import * as createSalesTables from "./20261123000200_create_sales_tables.ts";
import * as addSalesIndexes from "./20261123001010_add_sales_indexes.ts";
import * as createAuditLog from "./20261123100000_create_audit_log.ts";
import * as alterAuditRecordId from "./20261123100100_alter_audit_record_id.ts";
import * as createProducts from "./20261123110000_create_products.ts";
import * as createImports from "./20261123110100_create_imports.ts";
import * as createJobs from "./20261123120000_create_jobs.ts";
import * as createDuplicatePairs from "./20261123120100_create_duplicate_pairs.ts";
import * as createFieldDefinitions from "./20261123130000_create_field_definitions.ts";
import * as createCtiTables from "./20261123140000_create_cti_tables.ts";
import * as addPhonePrefixIndex from "./20261123150000_add_phone_prefix_index.ts";
import * as createRecordings from "./20261124000100_create_recordings.ts";
import * as createScriptsKb from "./20261124000200_create_scripts_kb.ts";
import * as createAgentStates from "./20261124000300_create_agent_states.ts";

/** Every migration in order. A new migration is a new file plus one line here; never edit a landed one. */
export const migrations: Record<string, Knex.Migration> = {
  "20261123000000_create_org_tables": createOrgTables,
  "20261123000100_create_customer_tables": createCustomerTables,
  "20261123000200_create_sales_tables": createSalesTables,
  "20261123001010_add_sales_indexes": addSalesIndexes,
  "20261123100000_create_audit_log": createAuditLog,
  "20261123100100_alter_audit_record_id": alterAuditRecordId,
  "20261123110000_create_products": createProducts,
  "20261123110100_create_imports": createImports,
  "20261123120000_create_jobs": createJobs,
  "20261123120100_create_duplicate_pairs": createDuplicatePairs,
  "20261123130000_create_field_definitions": createFieldDefinitions,
  "20261123140000_create_cti_tables": createCtiTables,
  "20261123150000_add_phone_prefix_index": addPhonePrefixIndex,
  "20261124000100_create_recordings": createRecordings,
  "20261124000200_create_scripts_kb": createScriptsKb,
  "20261124000300_create_agent_states": createAgentStates,
};
