import type { Knex } from "knex";

const at = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true, precision: 3 });

// Call recordings fetched from the PBX by the bridge and kept in the recordings store (crm-api/src/recordings).
// Listens are audit_log rows (entity "recordings", action "view"), so there is no table for them.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("recordings", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    /** The call's id as in CallEvents ("ast1:1700000000.12"); interactions.call_id of the same call. */
    t.text("call_id").notNullable();
    /** Set once the call's interaction exists; until then the call id finds it. */
    t.uuid("interaction_id").references("id").inTable("interactions").onDelete("set null");
    /** The PBX's own id of the recording: MixMonitor file path, Mango recording_id. */
    t.text("pbx_recording_id").notNullable();
    /** Key in the recordings store ("2026/11/<uuid>.wav"); null until the file is stored. */
    t.text("storage_key");
    t.text("content_type").notNullable().defaultTo("application/octet-stream");
    t.bigInteger("size_bytes");
    t.double("duration_sec");
    t.text("sha256");
    t.text("status").notNullable().defaultTo("pending").checkIn(["pending", "stored", "failed"]);
    /** Why the bridge gave up (status failed); never a URL (Mango links are secrets). */
    t.text("error");
    at(t, "created_at").notNullable().defaultTo(knex.fn.now());
    at(t, "stored_at");
    // One row per recording of a call: the bridge may upload the same file twice.
    t.unique(["call_id", "pbx_recording_id"]);
  });
  await knex.raw(
    "create index recordings_interaction on recordings (interaction_id) where interaction_id is not null",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("recordings");
}
