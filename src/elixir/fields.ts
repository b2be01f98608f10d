// Field specs for Ecto schemas (`name:type[:modifier...]`), parsed and checked
// before anything is written; everything the schema, migration, changeset,
// typespec and test templates need is computed here once.

export const SCALAR_TYPES = [
  "string", "text", "integer", "float", "decimal", "boolean", "date", "time",
  "naive_datetime", "utc_datetime", "uuid", "binary", "map",
] as const;
type Scalar = (typeof SCALAR_TYPES)[number];

const RESERVED_FIELDS = new Set(["id", "inserted_at", "updated_at"]);
const ARRAY_INNER = new Set<Scalar>(["string", "integer", "float", "boolean", "date", "uuid"]);

export interface Field {
  name: string;
  /** The spec as typed. */
  spec: string;
  kind: "scalar" | "array" | "references" | "enum";
  scalar?: Scalar;
  /** references: the referenced table. */
  table?: string;
  /** enum: the values. */
  values?: string[];
  unique: boolean;
  redact: boolean;
}

export class FieldError extends Error {}

function scalarOf(t: string, spec: string): Scalar {
  if (!(SCALAR_TYPES as readonly string[]).includes(t)) {
    throw new FieldError(
      `field "${spec}": unknown type "${t}" (use ${SCALAR_TYPES.join(", ")}, array:TYPE, references:TABLE or enum:a,b,c)`,
    );
  }
  return t as Scalar;
}

export function parseField(spec: string): Field {
  const [name = "", type = "string", ...rest] = spec.split(":");
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new FieldError(`field "${spec}": a field name starts with a lowercase letter and has only lowercase letters, digits and underscores`);
  }
  if (RESERVED_FIELDS.has(name)) throw new FieldError(`field "${spec}": ${name} is added by the schema itself (id and timestamps)`);
  const modifiers = new Set<string>();
  let field: Field;
  if (type === "array") {
    const inner = rest.shift();
    if (!inner) throw new FieldError(`field "${spec}": array needs an inner type, e.g. ${name}:array:string`);
    const scalar = scalarOf(inner, spec);
    if (!ARRAY_INNER.has(scalar)) throw new FieldError(`field "${spec}": arrays of ${inner} are not supported (use ${[...ARRAY_INNER].join(", ")})`);
    field = { name, spec, kind: "array", scalar, unique: false, redact: false };
  } else if (type === "references") {
    const table = rest.shift();
    if (!table || !/^[a-z][a-z0-9_]*$/.test(table)) throw new FieldError(`field "${spec}": references needs a table, e.g. user_id:references:users`);
    if (!name.endsWith("_id")) throw new FieldError(`field "${spec}": a reference's name ends in _id (e.g. ${table.replace(/s$/, "")}_id)`);
    field = { name, spec, kind: "references", table, unique: false, redact: false };
  } else if (type === "enum") {
    // enum:a,b,c or enum:a:b:c (modifiers, if any, come after).
    const values = rest.splice(0).flatMap((v) => v.split(",")).filter((v) => v !== "");
    const mods: string[] = values.filter((v) => v === "unique" || v === "redact");
    const vals = values.filter((v) => !mods.includes(v));
    mods.forEach((m) => modifiers.add(m));
    if (vals.length === 0) throw new FieldError(`field "${spec}": enum needs values, e.g. ${name}:enum:draft,published`);
    const bad = vals.find((v) => !/^[a-z][a-z0-9_]*$/.test(v));
    if (bad) throw new FieldError(`field "${spec}": enum value "${bad}" must be lowercase letters, digits and underscores`);
    if (new Set(vals).size !== vals.length) throw new FieldError(`field "${spec}": enum values repeat`);
    field = { name, spec, kind: "enum", values: vals, unique: false, redact: false };
  } else {
    field = { name, spec, kind: "scalar", scalar: scalarOf(type, spec), unique: false, redact: false };
  }
  for (const m of rest) {
    if (m !== "unique" && m !== "redact") throw new FieldError(`field "${spec}": unknown modifier "${m}" (use unique or redact)`);
    modifiers.add(m);
  }
  field.unique = modifiers.has("unique");
  field.redact = modifiers.has("redact");
  return field;
}

export function parseFields(specs: readonly string[]): Field[] {
  const fields = specs.map(parseField);
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new FieldError(`field "${f.spec}": ${f.name} is given twice`);
    seen.add(f.name);
  }
  return fields;
}

const ECTO: Record<Scalar, string> = {
  string: ":string", text: ":string", integer: ":integer", float: ":float", decimal: ":decimal",
  boolean: ":boolean", date: ":date", time: ":time", naive_datetime: ":naive_datetime",
  utc_datetime: ":utc_datetime", uuid: "Ecto.UUID", binary: ":binary", map: ":map",
};
const MIGRATION: Record<Scalar, string> = { ...ECTO, text: ":text", uuid: ":uuid" };
const TYPESPEC: Record<Scalar, string> = {
  string: "String.t()", text: "String.t()", integer: "integer()", float: "float()", decimal: "Decimal.t()",
  boolean: "boolean()", date: "Date.t()", time: "Time.t()", naive_datetime: "NaiveDateTime.t()",
  utc_datetime: "DateTime.t()", uuid: "Ecto.UUID.t()", binary: "binary()", map: "map()",
};
/** Valid values for tests: the first for create, the second for update. */
const SAMPLES: Record<Scalar, [string, string]> = {
  string: ['"some NAME"', '"some updated NAME"'],
  text: ['"some NAME"', '"some updated NAME"'],
  integer: ["42", "43"],
  float: ["120.5", "456.7"],
  decimal: ['Decimal.new("120.5")', 'Decimal.new("456.7")'],
  boolean: ["true", "false"],
  date: ["~D[2025-01-15]", "~D[2025-01-16]"],
  time: ["~T[14:00:00]", "~T[15:01:01]"],
  naive_datetime: ["~N[2025-01-15 14:00:00]", "~N[2025-01-16 15:01:01]"],
  utc_datetime: ["~U[2025-01-15 14:00:00Z]", "~U[2025-01-16 15:01:01Z]"],
  uuid: ['"7488a646-e31f-11e4-aace-600308960662"', '"7488a646-e31f-11e4-aace-600308960668"'],
  binary: ['"some NAME"', '"some updated NAME"'],
  map: ["%{}", '%{"key" => "value"}'],
};

/**
 * StreamData generators of valid values, for the schema's property test: any
 * value the changeset must accept (strings of letters and digits, since a
 * blank one is "missing"; lists and maps not empty; times within a few
 * centuries).
 */
const GENERATORS: Record<Scalar, string> = {
  string: "string(:alphanumeric, min_length: 1, max_length: 255)",
  text: "string(:alphanumeric, min_length: 1, max_length: 2_000)",
  integer: "integer()",
  float: "float()",
  decimal: "map(integer(), &Decimal.new/1)",
  boolean: "boolean()",
  date: "map(integer(-36_500..36_500), &Date.add(~D[2025-01-01], &1))",
  time: "map(integer(0..86_399), &Time.add(~T[00:00:00], &1))",
  naive_datetime: "map(integer(0..3_000_000_000), &NaiveDateTime.add(~N[2000-01-01 00:00:00], &1))",
  utc_datetime: "map(integer(0..3_000_000_000), &DateTime.add(~U[2000-01-01 00:00:00Z], &1))",
  uuid: "map(binary(length: 16), &Ecto.UUID.cast!/1)",
  binary: "string(:alphanumeric, min_length: 1)",
  map: "map_of(string(:alphanumeric), integer(), min_length: 1, max_length: 3)",
};

/** What the templates need of one field. */
export function fieldView(f: Field, binaryId: boolean) {
  const sample = (i: 0 | 1): string => {
    // References are not cast from attrs (as in Phoenix): no sample value.
    if (f.kind === "references") return "nil";
    if (f.kind === "enum") return `:${(f.values as string[])[Math.min(i, (f.values as string[]).length - 1)]}`;
    const base = SAMPLES[f.scalar as Scalar][i].replace("NAME", f.name);
    if (f.kind === "array") return `[${base}]`;
    return base;
  };
  const schemaType =
    f.kind === "enum"
      ? `Ecto.Enum, values: [${(f.values as string[]).map((v) => `:${v}`).join(", ")}]`
      : f.kind === "array"
        ? `{:array, ${ECTO[f.scalar as Scalar]}}`
        : f.kind === "references"
          ? binaryId ? ":binary_id" : ":id"
          : ECTO[f.scalar as Scalar];
  const migrationType =
    f.kind === "enum"
      ? ":string"
      : f.kind === "array"
        ? `{:array, ${MIGRATION[f.scalar as Scalar]}}`
        : f.kind === "references"
          ? `references(:${f.table}, on_delete: :delete_all${binaryId ? ", type: :binary_id" : ""})`
          : MIGRATION[f.scalar as Scalar];
  const typespec =
    f.kind === "enum"
      ? (f.values as string[]).map((v) => `:${v}`).join(" | ")
      : f.kind === "array"
        ? `[${TYPESPEC[f.scalar as Scalar]}]`
        : f.kind === "references"
          ? binaryId ? "Ecto.UUID.t()" : "integer()"
          : TYPESPEC[f.scalar as Scalar];
  return {
    name: f.name,
    schemaType,
    redact: f.redact,
    migrationType,
    typespec: `${typespec} | nil`,
    unique: f.unique,
    reference: f.kind === "references",
    /** references: the table whose rows it points at. */
    refTable: f.table,
    /** Limited to 255 characters (a varchar column). */
    varchar: f.kind === "scalar" && f.scalar === "string",
    /** A StreamData generator of the values the changeset accepts (references are not cast: none). */
    generator:
      f.kind === "enum"
        ? `member_of([${(f.values as string[]).map((v) => `:${v}`).join(", ")}])`
        : f.kind === "array"
          ? `list_of(${GENERATORS[f.scalar as Scalar]}, min_length: 1, max_length: 5)`
          : f.kind === "references"
            ? undefined
            : GENERATORS[f.scalar as Scalar],
    createValue: sample(0),
    updateValue: sample(1),
    /** A sample value made unique per call, for unique string fields in fixtures. */
    uniqueSample: f.unique && f.kind === "scalar" && (f.scalar === "string" || f.scalar === "text"),
  };
}

/** How a field is edited in a LiveView form, or why it cannot be. */
export function formInput(f: Field, schemaModule: string): { input: string } | { skip: string } {
  const label = f.name.charAt(0).toUpperCase() + f.name.slice(1).replace(/_/g, " ");
  const base = `<.input field={@form[:${f.name}]}`;
  if (f.kind === "references") return { skip: "set in code, not in the form" };
  if (f.kind === "enum") {
    return { input: `${base} type="select" label="${label}" prompt="Choose a value" options={Ecto.Enum.values(${schemaModule}, :${f.name})} />` };
  }
  if (f.kind === "array") {
    if (f.scalar !== "string") return { skip: `arrays of ${f.scalar} have no form input` };
    return { input: `${base} type="select" label="${label}" multiple options={[{"Option 1", "option1"}, {"Option 2", "option2"}]} />` };
  }
  const type: Partial<Record<Scalar, string>> = {
    string: "text", text: "textarea", integer: "number", float: "number", decimal: "number", boolean: "checkbox",
    date: "date", time: "time", naive_datetime: "datetime-local", utc_datetime: "datetime-local", uuid: "text",
  };
  const t = type[f.scalar as Scalar];
  if (!t) return { skip: `${f.scalar} fields have no form input` };
  const step = f.scalar === "float" || f.scalar === "decimal" ? ' step="any"' : "";
  return { input: `${base} type="${t}" label="${label}"${step} />` };
}

/** The value a browser form submits for a field (create: 0, update: 1), as Elixir source. */
export function formParam(f: Field, i: 0 | 1): string {
  if (f.kind === "enum") return `"${(f.values as string[])[Math.min(i, (f.values as string[]).length - 1)]}"`;
  if (f.kind === "array") return i === 0 ? '["option1"]' : '["option1", "option2"]';
  const v: Partial<Record<Scalar, [string, string]>> = {
    string: [`"some ${f.name}"`, `"some updated ${f.name}"`],
    text: [`"some ${f.name}"`, `"some updated ${f.name}"`],
    integer: ["42", "43"],
    float: ["120.5", "456.7"],
    decimal: ['"120.5"', '"456.7"'],
    boolean: ["true", "false"],
    date: ['"2025-01-15"', '"2025-01-16"'],
    time: ['"14:00"', '"15:01"'],
    naive_datetime: ['"2025-01-15T14:00"', '"2025-01-16T15:01"'],
    utc_datetime: ['"2025-01-15T14:00:00Z"', '"2025-01-16T15:01:00Z"'],
    uuid: ['"7488a646-e31f-11e4-aace-600308960662"', '"7488a646-e31f-11e4-aace-600308960668"'],
  };
  return (v[f.scalar as Scalar] as [string, string])[i];
}
