// gen live Catalog Product products title:string ...: everything gen context
// writes, plus LiveViews (index with a stream, show, form) built on the app's
// core components, their tests, and the routes in the router's browser scope.
import { existsSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import { formInput, formParam } from "../../src/elixir/fields.js";
import { Scan } from "../../src/elixir/lexer.js";
import { underscore } from "../../src/elixir/naming.js";
import context, { schema, tableAndFields } from "../context/index.js";
import { render, requireProject } from "../_shared/otp.js";
import { requirePhoenix } from "../_shared/phoenix.js";

export { schema };

export default defineGenerator({
  name: "live",
  description: "gen context plus LiveViews (index with streams, show, form) on the core components, their tests, and the routes",
  examples: ["gen live Catalog Product products title:string price:decimal", "gen live Blog Post posts title:string body:text status:enum:draft,published"],
  schema,
  needsProject: true,
  async plan(o, io, ctx) {
    const project = requireProject(ctx);
    const { web, webPath } = requirePhoenix(project, "live");
    const plan = await context.plan(o, io, ctx);
    const b = plan.binding as Record<string, unknown> & { singular: string; plural: string; schemaModule: string; schemaAlias: string };
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
    const editable = fields.filter((f) => f.kind !== "references");
    const shown = editable.map((f) => ({ name: f.name, label: f.name.charAt(0).toUpperCase() + f.name.slice(1).replace(/_/g, " ") }));
    const shownString = editable.find((f) => f.kind === "scalar" && (f.scalar === "string" || f.scalar === "text") && !f.unique)?.name;
    const liveModule = `${web}.${b.schemaAlias}Live`;
    const route = `/${b.plural}`;
    Object.assign(plan.binding, {
      web,
      liveModule,
      route,
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
      blankable: editable.some((f) => f.kind !== "array" && !(f.kind === "scalar" && f.scalar === "boolean")),
    });
    const dir = `lib/${webPath}/live/${underscore(`${b.schemaAlias}Live`)}`;
    const actions: PlanAction[] = [
      render("live", "lib/index.ex", `${dir}/index.ex`),
      render("live", "lib/show.ex", `${dir}/show.ex`),
      render("live", "lib/form.ex", `${dir}/form.ex`),
      render("live", "test/live_test.exs", `test/${webPath}/live/${underscore(`${b.schemaAlias}Live`)}_test.exs`),
    ];
    const alias = `${b.schemaAlias}Live`;
    const routes = [
      `    live "${route}", ${alias}.Index, :index`,
      `    live "${route}/new", ${alias}.Form, :new`,
      `    live "${route}/:id", ${alias}.Show, :show`,
      `    live "${route}/:id/edit", ${alias}.Form, :edit`,
    ];
    const routerFile = `lib/${webPath}/router.ex`;
    actions.push({
      type: "otp:patch",
      path: routerFile,
      describe: `add the ${b.plural} routes to the browser scope`,
      patch(source) {
        const manual = { manual: `${routerFile}: add these routes to the \`scope "/", ${web} do\` block that pipes through :browser:\n${routes.join("\n")}` };
        if (source === undefined) return manual;
        if (source.includes(routes[0] as string)) return { source };
        const code = new Scan(source).codeOnly();
        // The `scope "/", AppWeb do` block piped through :browser (formatted: its `end` at two spaces).
        const scopes = [...code.matchAll(new RegExp(`^ {2}scope\\s+,\\s*${web}\\s+do\\n`, "gm"))];
        for (const s of scopes) {
          const start = s.index + s[0].length;
          const end = code.indexOf("\n  end\n", start);
          if (end === -1) continue;
          if (!/^ {4}pipe_through :browser$/m.test(code.slice(start, end))) continue;
          return { source: `${source.slice(0, end)}\n\n${routes.join("\n")}${source.slice(end)}` };
        }
        return manual;
      },
    });
    plan.actions.push(...actions);
    plan.nextSteps = ["mix ecto.migrate", `mix test test/${webPath}/live`, `open ${route}`];
    if (!existsSync(path.join(project.root, "test/support/conn_case.ex"))) plan.nextSteps.push("the LiveView tests use ConnCase (test/support/conn_case.ex, as mix phx.new writes it)");
    return plan;
  },
});
