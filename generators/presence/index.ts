// gen presence [NAME]: a Phoenix.Presence tracker, started right after the
// app's PubSub (which it broadcasts through).
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator } from "../../src/core/generator.js";
import { pubsubName } from "../../src/elixir/phoenix.js";
import { loadReader } from "../../src/elixir/reader.js";
import { modulePath } from "../../src/elixir/naming.js";
import { moduleField, projectPlan, render, requireProject, wire } from "../_shared/otp.js";
import { requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: moduleField("Module name under the web module (default: Presence)", "Presence module name").default("Presence").meta({ positional: true, prompt: "Presence module name" }),
});

export default defineGenerator({
  name: "presence",
  description: DESCRIPTIONS.presence,
  examples: ["gen presence", "gen presence Tracking.Presence"],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const { web, domain } = requirePhoenix(project, "presence");
    const module = `${web}.${o.name}`;
    // The PubSub is started by the domain app (in an umbrella, before the web app, which depends on it).
    const owner = domain.project;
    const appFile = owner.appFile ? path.join(owner.root, owner.appFile) : undefined;
    await loadReader();
    const pubsub = appFile && existsSync(appFile) ? pubsubName(readFileSync(appFile, "utf8")) : undefined;
    if (!pubsub) {
      const where = owner.appFile ? path.posix.join(domain.rel, owner.appFile) : "the application";
      throw new UserError(`gen presence needs the app's Phoenix.PubSub in its supervision tree ({Phoenix.PubSub, name: ${owner.module}.PubSub}), and found none in ${where}`);
    }
    return projectPlan(
      project,
      { app: project.app, module, alias: module.split(".").pop(), prefix: owner.module, web, pubsub },
      [
        render("presence", "lib/presence.ex", `lib/${modulePath(project, module)}.ex`),
        render("presence", "test/presence_test.exs", `test/${modulePath(project, module)}_test.exs`),
        wire(project, { code: module, ids: [module], after: ["Phoenix.PubSub"] }, undefined),
      ],
      [`track from a channel: ${module}.track(socket, user_id, %{online_at: System.system_time(:second)})`],
    );
  },
});
