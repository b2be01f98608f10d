// gen live Catalog Product products title:string ...: everything gen context
// writes, plus LiveViews (index with a stream, show, form) built on the app's
// core components, their tests, and the routes in the router's browser scope.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import type { PatchResult } from "../../src/elixir/children.js";
import { formInput, formParam } from "../../src/elixir/fields.js";
import { addRoutes, addSobelowIgnoreFile, addStaticPath, authenticatedSessions } from "../../src/elixir/phoenix.js";
import { modulePath, underscore } from "../../src/elixir/naming.js";
import { z } from "zod";
import context, { schema as contextSchema, scopeNote, scopeView, tableAndFields } from "../context/index.js";
import { askRouterScope } from "../_shared/ask.js";
import { envConfigPatch, gitignorePatch, patchWith, render, requireProject } from "../_shared/otp.js";
import { fromDomain, requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

/** What --upload accepts without --accept: the common web image types. */
const DEFAULT_ACCEPT = ["jpg", "jpeg", "png", "webp"];

/** Types a browser runs script in when this site serves them: never accepted for upload. */
const ACTIVE = ["svg", "svgz", "html", "htm", "xhtml", "xht", "xml", "js", "mjs", "swf"];

export const schema = contextSchema.extend({
  routerScope: z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const text = String(v).trim();
      if (/^\d+$/.test(text)) return Number(text);
      if (/^:?[a-z_][a-zA-Z0-9_]*[?!]?$/.test(text)) return text.replace(/^:/, "");
      ctx.addIssue({ code: "custom", message: "--router-scope is a live_session or pipeline name (e.g. require_authenticated_user, browser), a scope's line number, or 0 to print the routes" });
      return z.NEVER;
    })
    .optional()
    .describe("Where the routes go: a live_session or pipeline name (e.g. require_authenticated_user, browser), the line of a scope, or 0 to print them")
    .meta({ valueName: "name|line", ask: askRouterScope }),
  upload: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "--upload is the name of the field that keeps the file's URL, in snake_case (e.g. photo)")
    .optional()
    .describe("A file the form uploads (e.g. photo): stored by the app's Uploads module, its URL kept in this field")
    .meta({ valueName: "field", prompt: false }),
  accept: z
    .string()
    .transform((v, ctx) => {
      const exts = v.split(/[\s,]+/).filter(Boolean).map((e) => e.replace(/^\./, "").toLowerCase());
      const bad = exts.find((e) => !/^[a-z0-9]{1,8}$/.test(e));
      if (exts.length === 0 || bad !== undefined) {
        ctx.addIssue({ code: "custom", message: `--accept is a list of file extensions, e.g. jpg,png,pdf${bad === undefined ? "" : ` ("${bad}" is not one)`}` });
        return z.NEVER;
      }
      const active = exts.find((e) => ACTIVE.includes(e));
      if (active !== undefined) {
        ctx.addIssue({ code: "custom", message: `--accept ${active}: a .${active} file served from this site can run script in its pages; store such files on another domain` });
        return z.NEVER;
      }
      return [...new Set(exts)];
    })
    .optional()
    .describe(`With --upload: the file types accepted, by extension (default ${DEFAULT_ACCEPT.join(",")})`)
    .meta({ valueName: "exts", prompt: false }),
  public: z
    .boolean()
    .default(false)
    .describe("With --no-scope in an app with log-in: put the pages where logged-out visitors can use them, on purpose")
    .meta({ prompt: false }),
});

export default defineGenerator({
  name: "live",
  description: DESCRIPTIONS.live,
  examples: ["gen live Catalog Product products title:string price:decimal", "gen live Blog Post posts title:string body:text status:enum:draft,published", "gen live Catalog Product products name:string --upload photo"],
  schema,
  needsProject: true,
  async plan(o, io, ctx) {
    const project = requireProject(ctx);
    const { web, webPath, domain } = requirePhoenix(project, "live");
    // The context goes in the domain app: in an umbrella, the web app's sibling.
    const plan = fromDomain(await context.plan(o, io, { ...ctx, project: domain.project }), domain, project.root);
    const b = plan.binding as Record<string, unknown> & {
      singular: string;
      plural: string;
      schemaModule: string;
      schemaAlias: string;
      scope: ReturnType<typeof scopeView>;
    };
    const scope = b.scope;
    if (scope && !scope.setupHelper) {
      throw new UserError(`scope :${scope.name} has no test_setup_helper (the ConnCase function that logs a user in for the LiveView tests); add it to config :scopes, or pass --no-scope`);
    }
    // Without a scope the routes go in the public browser scope: in an app with log-in, only when asked for
    // (--public, or a place named with --router-scope; a named live_session behind log-in logs the tests in).
    const routerFile = `lib/${webPath}/router.ex`;
    const routerAt = path.join(project.root, routerFile);
    const sessions = !scope && existsSync(routerAt) ? authenticatedSessions(readFileSync(routerAt, "utf8")) : [];
    const named = typeof o.routerScope === "string" ? o.routerScope : undefined;
    if (sessions.length > 0 && !o.public && named === undefined) {
      const why = o.scope === false ? "--no-scope" : "no scope configured (config :scopes)";
      const instead = o.scope === false ? "or drop --no-scope to keep them per user" : "or configure a scope (Phoenix 1.8's mix phx.gen.auth does) to keep them per user";
      throw new UserError(
        `${why}: ${routerFile} has pages for logged-in users only (live_session ${sessions.join(", ")}), and without a scope the ${b.plural} pages would go in the public scope, where logged-out visitors could create and delete ${b.plural}; pass --public if that is meant, --router-scope ${sessions[0]?.replace(/^:/, "")} to put them behind log-in, ${instead}`,
      );
    }
    const behindLogIn = !scope && named !== undefined && sessions.some((n) => n.replace(/^:/, "") === named);
    const { fields } = tableAndFields(o);
    const inputs: string[] = [];
    for (const f of fields) {
      const r = formInput(f, b.schemaModule);
      if ("skip" in r) {
        if (f.kind !== "references") throw new UserError(`invalid field "${f.spec}" for gen live: ${r.skip} (use gen context and edit it in code)`);
        continue;
      }
      inputs.push(r.input);
    }
    if (o.accept !== undefined && o.upload === undefined) throw new UserError("--accept goes with --upload: name the field that keeps the file's URL, e.g. --upload photo");
    if (o.upload !== undefined && fields.some((f) => f.name === o.upload)) throw new UserError(`--upload ${o.upload}: ${b.plural} has a field of that name already; name the upload's field otherwise`);
    const editable = fields.filter((f) => f.kind !== "references");
    const shown = editable.map((f) => ({ name: f.name, label: f.name.charAt(0).toUpperCase() + f.name.slice(1).replace(/_/g, " ") }));
    const shownString = editable.find((f) => f.kind === "scalar" && (f.scalar === "string" || f.scalar === "text") && !f.unique)?.name;
    const liveModule = `${web}.${b.schemaAlias}Live`;
    const route = `/${b.plural}`;
    // With a route_prefix ("/orgs/:org"), paths carry the scope's value: from the assigns, the socket or a variable.
    const prefixed = (expr: string): string =>
      scope?.routePrefix ? `${scope.routePrefix.replace(/:\w+/, `#{${expr}.${scope.routeAccess}}`)}${route}` : route;
    const routerPath = scope?.routePrefix ? `${scope.routePrefix}${route}` : route;
    Object.assign(plan.binding, {
      web,
      liveModule,
      route,
      routeA: prefixed(`@${scope?.assignKey}`),
      routeS: prefixed(`socket.assigns.${scope?.assignKey}`),
      routeV: prefixed("scope"),
      layoutScope: scope ? ` ${scope.assignKey}={@${scope.assignKey}}` : "",
      scopeArg: scope ? "scope, " : "",
      scopeOnly: scope ? "scope" : "",
      returnScopeAssign: scope?.routePrefix ? `@${scope.assignKey}, ` : "",
      returnScopeVar: scope?.routePrefix ? "scope, " : "",
      testScope: scope?.routePrefix ? ", scope: scope" : "",
      // Unscoped pages behind log-in (a live_session named with --router-scope): the tests log a user in.
      logInSetup: behindLogIn ? "register_and_log_in_user" : false,
      loggedIn: Boolean(scope) || behindLogIn,
      inputs,
      shown,
      shownString: shownString ?? false,
      createParams: editable.map((f) => ({ name: f.name, value: formParam(f, 0) })),
      updateParams: editable.map((f) => ({ name: f.name, value: formParam(f, 1) })),
      // As a browser submits an invalid form: unchecked boxes, empty multi-selects, blanks.
      invalidParams: editable.map((f) => ({
        name: f.name,
        value: f.kind === "array" ? "[]" : f.kind === "scalar" && f.scalar === "boolean" ? "false" : "nil",
      })),
      upload: o.upload === undefined ? false : uploadView(project.app, o.upload, o.accept ?? DEFAULT_ACCEPT),
      hasColumns: Boolean(plan.binding.hasColumns) || o.upload !== undefined,
      blankable: editable.some((f) => f.kind !== "array" && !(f.kind === "scalar" && f.scalar === "boolean")),
    });
    const dir = `lib/${webPath}/live/${underscore(`${b.schemaAlias}Live`)}`;
    const actions: PlanAction[] = [
      render("live", "lib/index.ex", `${dir}/index.ex`),
      render("live", "lib/show.ex", `${dir}/show.ex`),
      render("live", "lib/form.ex", `${dir}/form.ex`),
      render("live", "test/live_test.exs", `test/${webPath}/live/${underscore(`${b.schemaAlias}Live`)}_test.exs`),
    ];
    if (o.upload !== undefined) {
      actions.push(
        render("upload", "lib/uploads.ex", `lib/${webPath}/uploads.ex`),
        render("upload", "lib/local.ex", `lib/${webPath}/uploads/local.ex`),
        render("upload", "test/uploads_test.exs", `test/${webPath}/uploads_test.exs`),
        patchWith(`lib/${webPath}.ex`, `serve the uploads folder: "uploads" in ${web}.static_paths/0`, (src) => addStaticPath(src, web, "uploads")),
        envConfigPatch(project, "test", `${web}.Uploads`, `dir: Path.join(System.tmp_dir!(), "${project.app}_uploads")`, "the tests' uploads go to a temporary folder, not priv/static/uploads"),
        ...(existsSync(path.join(project.root, ".sobelow-conf")) ? [sobelowIgnore(webPath)] : []),
        gitignorePatch("/priv/static/uploads/", `Files users upload (${web}.Uploads.Local).`, "ignore the uploaded files (priv/static/uploads)"),
      );
    }
    const alias = `${b.schemaAlias}Live`;
    const routeLines = [
      `live "${routerPath}", ${alias}.Index, :index`,
      `live "${routerPath}/new", ${alias}.Form, :new`,
      `live "${routerPath}/:id", ${alias}.Show, :show`,
      `live "${routerPath}/:id/edit", ${alias}.Form, :edit`,
    ];
    actions.push({
      type: "otp:patch",
      path: routerFile,
      describe: named ? `add the ${b.plural} routes where --router-scope ${named} names` : scope ? `add the ${b.plural} routes to the live_session that requires a ${scope.name}` : `add the ${b.plural} routes to the browser scope`,
      patch(source) {
        const where = named
          ? `inside the live_session or scope --router-scope ${named} names`
          : scope
          ? `inside the live_session that sets @${scope.assignKey} for a logged-in ${scope.name} (mix phx.gen.auth's \`live_session :require_authenticated_${scope.name}\`)`
          : `to the \`scope "/", ${web} do\` block that pipes through :browser`;
        const manual = (why: string) => ({ manual: `${routerFile}: ${why}; add these routes ${where}:\n${routeLines.map((l) => `    ${l}`).join("\n")}` });
        if (source === undefined) return manual("the router is missing");
        const choice = o.routerScope;
        const r = addRoutes(source, routeLines, { kind: scope ? "authenticated" : "browser", web, ...(typeof choice === "string" ? { name: choice } : { line: choice }) });
        return r.status === "refused" ? manual(r.reason) : { source: r.source };
      },
    });
    plan.actions.push(...actions);
    const contextTests = domain.rel === "" ? [] : [`(cd ${domain.rel} && mix test test/${modulePath(domain.project, b.contextModule as string)}_test.exs)`];
    plan.nextSteps = [...scopeNote(scope), "mix ecto.migrate", `mix test test/${webPath}/live`, ...contextTests, `open ${routerPath}`];
    if (!existsSync(path.join(project.root, "test/support/conn_case.ex"))) plan.nextSteps.push("the LiveView tests use ConnCase (test/support/conn_case.ex, as mix phx.new writes it)");
    return plan;
  },
});

/** The template's view of --upload: the field, its words, the accepted extensions, and the web app whose config it reads. */
function uploadView(app: string, name: string, accept: readonly string[]) {
  const lower = name.replace(/_/g, " ");
  return { app, name, lower, label: lower.charAt(0).toUpperCase() + lower.slice(1), dom: name.replace(/_/g, "-"), accept: accept.map((e) => `.${e}`).join(" ") };
}

/**
 * Sobelow flags the stores' File calls (Traversal.FileModule): where the app
 * runs Sobelow (.sobelow-conf), the two files are ignored, each saying why.
 */
function sobelowIgnore(webPath: string): PatchAction {
  const ignores: [string, string[]][] = [
    [
      `lib/${webPath}/uploads.ex`,
      ["Traversal.FileModule flags the File.open that reads a received file's", "first bytes: the path is LiveView's temporary file, never a client's."],
    ],
    [
      `lib/${webPath}/uploads/local.ex`,
      ["Traversal.FileModule flags its File calls. The names it writes are", "random (Uploads.store/2), and put/2 refuses any name that is not a", "plain file name, so no path leaves its directory."],
    ],
  ];
  return patchWith(".sobelow-conf", "let Sobelow pass the upload stores (Traversal.FileModule), saying why", (source) => {
    let out: PatchResult = { status: "present", source };
    for (const [file, why] of ignores) {
      const r = addSobelowIgnoreFile(out.source, file, [`${file}:`, ...why]);
      if (r.status === "refused") return r;
      out = r.status === "added" ? r : out;
    }
    return out;
  });
}
