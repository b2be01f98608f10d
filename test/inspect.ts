// gen inspect --json as an agent reads it: checked against the published JSON
// Schema (schema/inspect.schema.json, with ajv), then typed by the zod schema.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "vitest";
import { Inspection } from "../src/elixir/inspect/schema.js";
import { runGen } from "./helpers.js";

export const PUBLISHED_SCHEMA = path.resolve(import.meta.dirname, "../schema/inspect.schema.json");

let validator: ReturnType<Ajv2020["compile"]> | undefined;

export async function inspectJson(dir: string, args: string[] = []): Promise<Inspection> {
  const r = await runGen(dir, ["inspect", "--json", ...args]);
  expect(r.code, r.err).toBe(0);
  const doc: unknown = JSON.parse(r.out);
  validator ??= new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(PUBLISHED_SCHEMA, "utf8")));
  expect(validator(doc), JSON.stringify(validator.errors?.slice(0, 3))).toBe(true);
  return Inspection.parse(doc);
}
