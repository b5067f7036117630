export * from "./script.ts";
export * from "./validate.ts";
export * from "./run.ts";
export * from "./render.ts";
export * from "./kbQuery.ts";
export * from "./api.ts";
