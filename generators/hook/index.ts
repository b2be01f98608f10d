// gen hook NAME [--live LiveView]: a JS hook colocated with its element
// (Phoenix 1.8's ColocatedHook, bundled from phoenix-colocated/<app>): the
// element with phx-hook and phx-update="ignore", the browser's report pushed
// to the server on mount and reconnect (validated there: it is untrusted
// input), push/3 from the server to one element's hook, and tests of the
// server side through a LiveView; with --live, that LiveView's
// handle_event/3 clause for the report.
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import { addCallbackClause } from "../../src/elixir/phoenix.js";
import { modulePath, moduleNameProblem, underscore } from "../../src/elixir/naming.js";
import { askLive } from "../_shared/ask.js";
import { moduleField, patchWith, projectPlan, render, requireProject } from "../_shared/otp.js";
import { liveViewOf, requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: moduleField("The hook, e.g. LocalTime (becomes AppWeb.LocalTime, its element <AppWeb.LocalTime.local_time>)", "Hook name (e.g. LocalTime)"),
  live: z
    .string()
    .optional()
    .describe("The LiveView that renders it, e.g. ProductLive.Show: its handle_event/3 gets the clause for the browser's report")
    .meta({ valueName: "module", ask: askLive }),
});

export default defineGenerator({
  name: "hook",
  description: DESCRIPTIONS.hook,
  examples: ["gen hook LocalTime", "gen hook Clipboard --live ProductLive.Show"],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const { web } = requirePhoenix(project, "hook");
    const base = o.name.replace(new RegExp(`^${web}\\.`), "");
    const module = `${web}.${base}`;
    const problem = moduleNameProblem(module);
    if (problem) throw new UserError(`invalid <name> "${o.name}": ${problem}`);
    const last = base.split(".").pop() as string;
    const fun = underscore(last);
    const event = fun;
    const file = `lib/${modulePath(project, module)}.ex`;
    const testFile = `test/${modulePath(project, module)}_test.exs`;
    const binding = { app: project.app, web, module, alias: last, hookName: last, fun, event, domId: fun.replace(/_/g, "-"), maxLength: 64 };
    const actions: PlanAction[] = [render("hook", "lib/hook.ex", file), render("hook", "test/hook_test.exs", testFile)];
    const element = `<${module}.${fun} id="${binding.domId}">…</${module}.${fun}>`;
    const next = [`mix test ${testFile}`];
    if (o.live !== undefined) {
      const { module: live, file: liveFile } = await liveViewOf(project, web, o.live);
      const clause = [
        "  @impl true",
        `  def handle_event("${event}:mounted", params, socket) do`,
        `    case ${last}.browser(params) do`,
        "      {:ok, browser} -> {:noreply, assign(socket, :browser, browser)}",
        "      :error -> {:noreply, socket}",
        "    end",
        "  end",
      ].join("\n");
      const describe = `handle the ${last} hook's report in ${live}, with its other handle_event/3 clauses (and alias ${module})`;
      const handles = { name: "handle_event", arity: 3, first: { string: `${event}:mounted` } };
      actions.push(patchWith(liveFile, describe, (src) => addCallbackClause(src, live, handles, clause, undefined, module)));
      next.push(`render it in ${live} where it belongs: ${element}`);
    } else {
      next.push(`render it in a LiveView: ${element}, and handle "${event}:mounted" in its handle_event/3 (see the @moduledoc)`);
    }
    return projectPlan(project, binding, actions, next);
  },
});
