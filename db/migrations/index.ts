import type { Knex } from "knex";
import * as createOrgTables from "./20261123000000_create_org_tables.ts";
import * as createCustomerTables from "./20261123000100_create_customer_tables.ts";
import * as createSalesTables from "./20261123000200_create_sales_tables.ts";
import * as addSalesIndexes from "./20261123001010_add_sales_indexes.ts";
import * as createAuditLog from "./20261123100000_create_audit_log.ts";

/** Every migration in order. A new migration is a new file plus one line here; never edit a landed one. */
export const migrations: Record<string, Knex.Migration> = {
  "20261123000000_create_org_tables": createOrgTables,
  "20261123000100_create_customer_tables": createCustomerTables,
  "20261123000200_create_sales_tables": createSalesTables,
  "20261123001010_add_sales_indexes": addSalesIndexes,
  "20261123100000_create_audit_log": createAuditLog,
};
