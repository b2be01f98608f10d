// gen live-component NAME [--live LiveView]: a stateful LiveComponent that
// edits one value in place (update/2 that keeps a draft through the parent's
// re-renders, handle_event/3 with validation, the parent told through
// send(self(), ...), an optimistic "Saving…" and failed/2 to undo it), its
// tests through a parent LiveView; with --live, the parent's handle_info/2
// clause for its message (the line that renders it is the page's to place).
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import { addHandleInfo } from "../../src/elixir/phoenix.js";
import { modulePath, moduleNameProblem, underscore } from "../../src/elixir/naming.js";
import { moduleField, patchWith, projectPlan, render, requireProject } from "../_shared/otp.js";
import { askLive } from "../_shared/ask.js";
import { liveViewOf, requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: moduleField("The component, e.g. Title (becomes AppWeb.TitleComponent)", "Component name (e.g. Title)"),
  live: z
    .string()
    .optional()
    .describe("The LiveView that renders it, e.g. ProductLive.Show: its handle_info/2 gets the clause for the component's message")
    .meta({ valueName: "module", ask: askLive }),
  maxLength: z.coerce.number().int("--max-length must be a whole number").min(1, "--max-length must be 1 or more").default(200).describe("The longest value accepted, in characters").meta({ prompt: false, valueName: "n" }),
});

/** With no handle_info/2 before, a LiveView ignored other messages: so it still does. */
const FALLBACK = [
  "  # Other messages are ignored, as they were before this page handled any (Swoosh's",
  "  # test adapter, for one, sends {:email, email} to the process that sends mail).",
  "  def handle_info(_message, socket), do: {:noreply, socket}",
].join("\n");

export default defineGenerator({
  name: "live-component",
  description: DESCRIPTIONS["live-component"],
  examples: ["gen live-component Title", "gen live-component Product.Note --live ProductLive.Show"],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const { web } = requirePhoenix(project, "live-component");
    const base = o.name.replace(new RegExp(`^${web}\\.`), "").replace(/Component$/, "");
    if (base === "" || base.endsWith(".")) throw new UserError(`invalid <name> "${o.name}": name the component, e.g. Title`);
    const module = `${web}.${base}Component`;
    const problem = moduleNameProblem(module);
    if (problem) throw new UserError(`invalid <name> "${o.name}": ${problem}`);
    const last = base.split(".").pop() as string;
    const assign = underscore(last);
    const file = `lib/${modulePath(project, module)}.ex`;
    const testFile = `test/${modulePath(project, module)}_test.exs`;
    const binding = { app: project.app, web, module, alias: `${last}Component`, assign, domId: assign.replace(/_/g, "-"), maxLength: o.maxLength };
    const actions: PlanAction[] = [render("live-component", "lib/component.ex", file), render("live-component", "test/component_test.exs", testFile)];
    const renderLine = `<.live_component module={${module}} id="${binding.domId}" value={@${assign}} />`;
    const next = [`mix test ${testFile}`];
    if (o.live !== undefined) {
      const { module: live, file: liveFile } = await liveViewOf(project, web, o.live);
      const clause = [
        "  @impl true",
        `  def handle_info({${module}, {:saved, _id, value}}, socket) do`,
        `    # Keep the value where this page keeps it (a context function); when it cannot`,
        `    # be kept, call ${last}Component.failed(id, reason) to show it was not.`,
        `    {:noreply, assign(socket, :${assign}, value)}`,
        "  end",
      ].join("\n");
      actions.push(patchWith(liveFile, `handle ${last}Component's {:saved, id, value} message in ${live}, with its other handle_info/2 clauses`, (src) => addHandleInfo(src, live, module, clause, FALLBACK)));
      next.push(`render it in ${live} where it belongs, with :${assign} assigned in mount/3: ${renderLine}`);
    } else {
      next.push(`render it in a LiveView: ${renderLine}, and handle {${module}, {:saved, id, value}} in its handle_info/2 (see the @moduledoc)`);
    }
    if (!existsSync(path.join(project.root, "test/support/conn_case.ex"))) next.push("its tests use ConnCase (test/support/conn_case.ex, as mix phx.new writes it)");
    return projectPlan(project, binding, actions, next);
  },
});
