export * from "./common.ts";
export * from "./contacts.ts";
export * from "./errors.ts";
export * from "./inn.ts";
export * from "./phone.ts";
export * from "./roles.ts";
export * from "./users.ts";
export * from "./ws.ts";
