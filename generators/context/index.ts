// gen context Accounts User users name:string age:integer ...: an Ecto schema
// with its changeset and `t()` type, a migration, the context's functions
// with @doc and @spec, tests and fixtures. In an existing context it adds only
// what is missing, so a second run changes nothing.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PatchAction, type PlanAction, type RenderPatchAction } from "../../src/core/generator.js";
import { FieldError, fieldView, parseFields, type Field } from "../../src/elixir/fields.js";
import { selectScope, type PhoenixScope } from "../../src/elixir/scopes.js";
import { addToModule, type Definition } from "../../src/elixir/phoenix.js";
import { addAliases, sortAliases } from "../../src/elixir/aliases.js";
import { fileDefining } from "../../src/elixir/project.js";
import { migrationVersion } from "../../src/elixir/ecto.js";
import { addStructType } from "../../src/elixir/struct-type.js";
import { camelize, defaultTable, modulePath, underscore } from "../../src/elixir/naming.js";
import { LOCALS, localsOf, moduleField, projectPlan, render, requireProject, streamDataPatches } from "../_shared/otp.js";
import { askFields, askScope, askTable } from "../_shared/ask.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  context: moduleField("The context module, e.g. Accounts", "Context (e.g. Accounts)"),
  schema: moduleField("The schema module, e.g. User", "Schema (e.g. User)"),
  table: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "a table name is lowercase letters, digits and underscores")
    .optional()
    .describe("The table name (default: the schema in snake_case, plural)")
    // Asked only when the fields are not on the command line (whose first word may be the table).
    .meta({ valueName: "name", ask: askTable, when: (v: Record<string, unknown>) => v.fields === undefined }),
  fields: z
    .array(z.string())
    .default([])
    .describe("The table name (optional, e.g. users), then fields as name:type[:unique][:redact]")
    .meta({ positional: true, variadic: true, ask: askFields }),
  binaryId: z.boolean().default(false).describe("UUID primary and foreign keys").meta({ prompt: false }),
  scope: z
    .union([z.string().regex(/^[a-z_][a-z0-9_]*$/, "a scope is named like an atom, e.g. user"), z.literal(false)])
    .optional()
    .describe("The Phoenix 1.8 scope (config :app, :scopes) to scope by (default: the one marked default: true)")
    .meta({ valueName: "name", negatable: "No scope, even when the app configures a default one", ask: askScope }),
});

const SCOPE_TYPESPECS: Record<string, string> = {
  id: "integer()", integer: "integer()", binary_id: "Ecto.UUID.t()", uuid: "Ecto.UUID.t()", string: "String.t()",
};

/** What the templates need to know about the scope (undefined: not scoped). */
export function scopeView(scope: PhoenixScope | undefined, fixturesModule: string) {
  if (!scope) return undefined;
  return {
    name: scope.name,
    module: scope.module,
    alias: scope.alias,
    assignKey: scope.assignKey,
    access: scope.accessPath.join("."),
    schemaKey: scope.schemaKey,
    schemaType: scope.schemaType,
    typespec: `${SCOPE_TYPESPECS[scope.schemaType] ?? "term()"} | nil`,
    migration: scope.schemaTable
      ? `references(:${scope.schemaTable}, type: :${scope.schemaMigrationType}, on_delete: :delete_all)`
      : `:${scope.schemaMigrationType}`,
    fixtureModule: scope.testDataFixture,
    importFixture: scope.testDataFixture !== fixturesModule,
    setupHelper: scope.testSetupHelper,
    routePrefix: scope.routePrefix,
    routeAccess: scope.routeAccessPath.join("."),
  };
}

/** The Ecto and Phoenix DSL calls the generated files use, without parentheses (as their .formatter.exs export them). */
export const PHOENIX_LOCALS = localsOf(LOCALS.ecto, LOCALS.phoenix, LOCALS.streamData);

const humanize = (s: string): string => s.replace(/_/g, " ");

/** The table (--table, else a first word without a colon, else the plural schema name) and the parsed fields. */
export function tableAndFields(o: { schema: string; fields: string[]; table?: string | undefined }): { table: string; fields: Field[] } {
  const specs = [...o.fields];
  const first = specs[0];
  const positional = o.table === undefined && first !== undefined && !first.includes(":") ? specs.shift() : undefined;
  const table = o.table ?? positional ?? defaultTable(o.schema);
  try {
    return { table, fields: parseFields(specs) };
  } catch (err) {
    if (err instanceof FieldError) throw new UserError(`invalid ${err.message}`);
    throw err;
  }
}

export default defineGenerator({
  name: "context",
  description: DESCRIPTIONS.context,
  examples: ["gen context Accounts User users name:string email:string:unique age:integer", "gen context Catalog Product price:decimal tags:array:string status:enum:draft,published"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    if (!project.ecto) throw new UserError("gen context works in a project with Ecto (mix phx.new, or :ecto_sql in mix.exs)");
    const { table, fields } = tableAndFields(o);
    const scope = selectScope(project, o.scope);
    const prefix = project.module;
    const fixturesModule = `${prefix}.${o.context}Fixtures`;
    const contextModule = `${prefix}.${o.context}`;
    const schemaAlias = o.schema.split(".").pop() as string;
    const schemaModule = `${contextModule}.${o.schema}`;
    const singular = underscore(schemaAlias);
    if (scope) checkScope(scope, fields, schemaAlias, o.context.split(".").pop() as string);
    const views = fields.map((f) => fieldView(f, o.binaryId));
    const cast = views.filter((v) => !v.reference);
    const fixtureValue = (v: (typeof views)[number]): string =>
      v.uniqueSample ? v.createValue.replace(/"$/, '#{System.unique_integer([:positive])}"') : v.unique && v.createValue === "42" ? "System.unique_integer([:positive])" : v.createValue;
    const binding = {
      app: project.app,
      prefix,
      contextModule,
      contextAlias: o.context.split(".").pop() as string,
      schemaModule,
      schemaAlias,
      singular,
      plural: table,
      table,
      tableModule: camelize(table),
      humanSingular: camelize(singular).replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/ ([A-Z])/g, (m) => m.toLowerCase()),
      humanSingularLower: humanize(singular),
      humanPlural: humanize(table),
      repo: `${prefix}.Repo`,
      dataCase: `${prefix}.DataCase`,
      fixturesModule,
      scope: scopeView(scope, fixturesModule),
      pubsub: `${prefix}.PubSub`,
      hasColumns: fields.length > 0 || scope !== undefined,
      contextAliases: sortAliases([`${prefix}.Repo`, schemaModule, ...(scope ? [scope.module] : [])]),
      fixtureAliases: sortAliases([contextModule, schemaModule, ...(scope ? [scope.module] : [])]),
      binaryId: o.binaryId,
      // Ids come from params as strings too; Repo.get casts them.
      idType: o.binaryId ? "Ecto.UUID.t()" : "integer() | String.t()",
      idCast: o.binaryId ? ":binary_id" : ":id",
      missingId: o.binaryId ? "Ecto.UUID.generate()" : "-1",
      fields: views,
      castFields: cast.map((v) => v.name),
      createAttrs: cast.map((v) => ({ name: v.name, value: v.createValue })),
      updateAttrs: cast.map((v) => ({ name: v.name, value: v.updateValue })),
      fixtureAttrs: cast.map((v) => ({ name: v.name, value: fixtureValue(v) })),
      generatorAttrs: cast.map((v) => ({ name: v.name, generator: v.generator })),
    };
    const has = (f: string): boolean => existsSync(path.join(project.root, f));
    const contextFile = `lib/${modulePath(project, contextModule)}.ex`;
    const testFile = `test/${modulePath(project, contextModule)}_test.exs`;
    const fixturesFile = `test/support/fixtures/${underscore(`${o.context}Fixtures`)}.ex`;
    const actions: PlanAction[] = [render("context", "lib/schema.ex", `lib/${modulePath(project, schemaModule)}.ex`)];

    actions.push(
      has(contextFile)
        ? merge(contextFile, contextModule, "context/lib/access.ex", `add the ${table} functions to ${contextModule}`, binding.contextAliases)
        : render("context", "lib/context.ex", contextFile),
      has(testFile)
        ? merge(testFile, `${contextModule}Test`, "context/test/test_block.exs", `add the ${table} tests to ${contextModule}Test`, [contextModule])
        : render("context", "test/context_test.exs", testFile),
      has(fixturesFile)
        ? merge(fixturesFile, fixturesModule, "context/test/fixture_fn.ex", `add ${singular}_fixture/${scope ? 2 : 1}`, binding.fixtureAliases)
        : render("context", "test/fixtures.ex", fixturesFile),
    );

    // The changeset's property test (StreamData): a file of the schema's own, so that a context's
    // existing test module is not changed; none when nothing is cast.
    if (cast.length > 0) {
      actions.push(render("context", "test/schema_test.exs", `test/${modulePath(project, schemaModule)}_test.exs`), ...streamDataPatches());
    }

    // Specs name the scope as Scope.t() (a struct literal in a spec is a compile-time
    // dependency, which credo's SpecWithStruct reports): the scope module gets the type.
    if (scope) actions.push(scopeTypePatch(project.root, scope.module));

    // One migration per table: a second run does not add another.
    const migrations = path.join(project.root, "priv/repo/migrations");
    const files = existsSync(migrations) ? readdirSync(migrations) : [];
    if (!files.some((f) => f.endsWith(`_create_${table}.exs`))) {
      actions.push(render("context", "priv/migration.exs", `priv/repo/migrations/${migrationVersion(files, Date.now())}_create_${table}.exs`));
    }
    return {
      ...projectPlan(project, binding, actions, [...scopeNote(binding.scope), ...(cast.length > 0 ? ["mix deps.get (for StreamData, the changeset's property test)"] : []), "mix ecto.migrate", `mix test ${testFile}`]),
      // Names make these lines as long as they are: Elixir's formatter lays them out.
      format: { localsWithoutParens: PHOENIX_LOCALS },
    };
  },
});

/** `@type t` in the scope module (phx.gen.auth's has a defstruct and no type). */
function scopeTypePatch(root: string, module: string): PatchAction {
  const file = fileDefining(root, module);
  const describe = `add @type t to ${module}, which the generated @specs name`;
  const typedoc = "Who is acting, and on whose behalf: the caller's scope.";
  if (!file) {
    return { type: "otp:patch", path: "mix.exs", describe, patch: () => ({ manual: `no file under lib/ defines ${module}: ${describe}:\n    @type t :: %__MODULE__{}` }) };
  }
  return {
    type: "otp:patch",
    path: file,
    describe,
    patch(source) {
      if (source === undefined) return { manual: `${file} is missing` };
      const r = addStructType(source, module, typedoc);
      return r.status === "refused" ? { manual: `${file}: ${r.reason}; ${describe}:\n    ${r.snippet}` } : { source: r.source };
    },
  };
}

/** Which scope was used, and how to opt out: a default scope applies without being asked for. */
export function scopeNote(scope: ReturnType<typeof scopeView>): string[] {
  return scope ? [`scoped by :${scope.name} (${scope.module}, ${scope.schemaKey}); --no-scope generates an unscoped context`] : [];
}

/** Refuse what a scoped context cannot be: a field that is the scope's key, a schema named like the scope, tests without a scope fixture. */
function checkScope(scope: PhoenixScope, fields: Field[], schemaAlias: string, contextAlias: string): void {
  const clash = fields.find((f) => f.name === scope.schemaKey);
  if (clash) {
    throw new UserError(`invalid field "${clash.spec}": ${scope.schemaKey} is the key of scope :${scope.name}, added by the scope (or pass --no-scope)`);
  }
  if (schemaAlias === scope.alias || contextAlias === scope.alias) {
    throw new UserError(`invalid module ${schemaAlias === scope.alias ? schemaAlias : contextAlias}: it would clash with the alias of the scope module ${scope.module}`);
  }
  if (!scope.testDataFixture) {
    throw new UserError(`scope :${scope.name} has no test_data_fixture (the module with ${scope.name}_scope_fixture/0 the generated tests use); add it to config :scopes, or pass --no-scope`);
  }
}

/**
 * Append to the module `module` (wherever it sits in the file: other modules,
 * `defimpl` blocks before or after it) only the definitions (functions, types,
 * describe blocks) it lacks, and the aliases.
 */
function merge(file: string, module: string, template: string, describe: string, aliases: string[]): RenderPatchAction {
  return {
    type: "otp:render-patch",
    template: `${template}.hbs`,
    path: file,
    describe,
    patch(source, rendered) {
      if (source === undefined) return { manual: `${file} is missing` };
      const units = rendered
        .replace(/\s+$/, "")
        .split(/\n\n(?= {2}@(?:doc|typedoc) | {2}describe )/)
        .map((text) => ({ text, defines: definitionOf(text) }));
      const r = addToModule(source, module, units);
      if (r.status === "refused") return { manual: `${file}: ${r.reason}; ${describe} by hand:\n${r.snippet}` };
      return { source: addAliases(r.source, module, aliases) };
    },
  };
}

/** What a rendered unit defines: its function, type or describe block. */
function definitionOf(unit: string): Definition | undefined {
  const id = /^ {2}(?:def|defp) ([\w!?]+)|^ {2}@type (\w+)|^ {2}describe "([^"]*)"/m.exec(unit);
  if (!id) return undefined;
  const [, fn, type, block] = id;
  if (fn) return { kind: "def", name: fn };
  if (type) return { kind: "type", name: type };
  return { kind: "describe", name: block as string };
}
