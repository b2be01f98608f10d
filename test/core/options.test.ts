// The flags, prompts and --help of every generator come from fieldsOf(schema),
// which reads zod's definitions directly (start-up: z.toJSONSchema on every
// run cost milliseconds). This holds it to what z.toJSONSchema says of the
// same schemas, field by field, for every built-in generator and the common flags.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import app from "../../generators/app/index.js";
import phoenixApp from "../../generators/phoenix-app/index.js";
import { loadAllBuiltins } from "../../src/cli/registry.js";
import { commonSchema, fieldsOf } from "../../src/core/options.js";

const genGenerators = await loadAllBuiltins();

/** What the fields were read as before: from z.toJSONSchema, input side. */
function fromJsonSchema(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties).map(([key, prop]) => {
    const choices = Array.isArray(prop.enum) ? (prop.enum as string[]) : [];
    return {
      key,
      type: choices.length > 0 ? "enum" : prop.type === "boolean" ? "boolean" : prop.type === "array" ? "list" : "string",
      choices,
      description: typeof prop.description === "string" ? prop.description : key,
      default: prop.default,
      required: (json.required ?? []).includes(key),
    };
  });
}

describe("fieldsOf", () => {
  const schemas: [string, z.ZodObject][] = [
    ...[...genGenerators, app, phoenixApp].map((g) => [g.name, g.schema as unknown as z.ZodObject] as [string, z.ZodObject]),
    ["common flags", commonSchema],
  ];

  it.each(schemas)("%s: each field as z.toJSONSchema reads it", (_name, schema) => {
    const fields = fieldsOf(schema).map(({ key, type, choices, description, default: d, required }) => ({ key, type, choices, description, default: d, required }));
    expect(fields).toEqual(fromJsonSchema(schema));
  });

  it("covers every kind of field the generators use: enums, booleans, lists, defaults, optionals", () => {
    const all = schemas.flatMap(([, s]) => fieldsOf(s));
    expect(new Set(all.map((f) => f.type))).toEqual(new Set(["string", "boolean", "enum", "list"]));
    expect(all.some((f) => f.default !== undefined && f.type === "string")).toBe(true);
    expect(all.some((f) => f.required)).toBe(true);
  });
});
