// gen rate-limiter NAME: a per-key fixed-window limiter counted in the caller
// with atomic ETS updates; the owner process only creates and sweeps the table.
// With --plug (a Phoenix app): a Plug over it, keyed by the client's address
// or the current scope's user, answering 429 with retry-after, added to a
// router pipeline.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator } from "../../src/core/generator.js";
import { addPlugToPipeline, pipelineNames } from "../../src/elixir/phoenix.js";
import { loadReader } from "../../src/elixir/reader.js";
import { underscore } from "../../src/elixir/naming.js";
import { descriptionField, durationExpr, durationField, durationWords, elixirInt, envConfigPatch, nameField, parseDuration, patchWith, render, requireProject, simpleOtpGenerator, UNEXPECTED_MESSAGE_KEYS, underField } from "../_shared/otp.js";
import { askBy, askPipeline, askPlug } from "../_shared/ask.js";
import { requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("RateLimiter"),
  description: descriptionField("Limits how often each key may act: a counter per key and window."),
  limit: z.coerce.number().int().min(1, "--limit must be 1 or more").default(10).describe("Actions per key per window (--per)").meta({ prompt: "Actions allowed per key in each window", valueName: "n" }),
  per: durationField("The window in which a key may act --limit times", "1s", { prompt: "The window (e.g. 1s, 1m)" }),
  under: underField,
  plug: z.boolean().default(false).describe("A Plug over it in a Phoenix app: 429 with retry-after per client, added to a router pipeline").meta({ ask: askPlug }),
  pipeline: z
    .string()
    .regex(/^:?[a-z_][a-z0-9_]*$/, "a pipeline is named like an atom, e.g. browser or api")
    .transform((v) => v.replace(/^:/, ""))
    .optional()
    .describe("With --plug: the router pipeline it goes in (default: browser)")
    .meta({ valueName: "name", ask: askPipeline, when: (v: Record<string, unknown>) => v.plug === true }),
  by: z
    .enum(["ip", "user"])
    .optional()
    .describe("With --plug: a client is its IP address, or the current scope's logged-in user, by address when logged out (default: ip)")
    .meta({ prompt: "A client is", ask: askBy, when: (v: Record<string, unknown>) => v.plug === true }),
});

const limiter = simpleOtpGenerator({
  name: "rate-limiter",
  properties: true,
  description: DESCRIPTIONS["rate-limiter"],
  examples: ["gen rate-limiter RateLimiter", "gen rate-limiter Api.Throttle --limit 100 --per 1m", "gen rate-limiter RateLimiter --plug --pipeline api"],
  schema,
  loggerMetadata: UNEXPECTED_MESSAGE_KEYS,
  binding: (o) => ({ description: o.description, limit: elixirInt(o.limit), interval: durationExpr(parseDuration(o.per) as number) }),
  child: (_o, n) => ({ code: n.module, ids: [n.module] }),
  telemetry: { component: "rate_limiter", events: ["hit"] },
});

export default defineGenerator({
  ...limiter,
  async plan(o, io, ctx) {
    if (!o.plug && (o.pipeline !== undefined || o.by !== undefined)) {
      throw new UserError(`--${o.pipeline !== undefined ? "pipeline" : "by"} goes with --plug (the Plug that puts the limiter in a router pipeline)`);
    }
    const plan = limiter.plan(o, io, ctx);
    if (!o.plug) return plan;
    const pipeline = o.pipeline ?? "browser";
    const by = o.by ?? "ip";
    const project = requireProject(ctx);
    const { web, webPath } = requirePhoenix(project, "rate-limiter --plug");
    const module = plan.binding.module as string;
    const alias = module.split(".").pop() as string;
    const plugModule = `${web}.Plugs.${alias}`;
    const routerFile = `lib/${webPath}/router.ex`;
    await loadReader();
    const routerAt = path.join(project.root, routerFile);
    const pipelines = existsSync(routerAt) ? pipelineNames(readFileSync(routerAt, "utf8")) : [];
    if (existsSync(routerAt) && !pipelines.includes(pipeline)) {
      throw new UserError(`invalid --pipeline "${pipeline}": ${routerFile} has no pipeline :${pipeline}${pipelines.length > 0 ? ` (it has ${pipelines.map((p) => `:${p}`).join(", ")})` : ""}`);
    }
    const line = `plug ${plugModule}${by === "user" ? ", by: :user" : ""}`;
    const describe = `add ${plugModule} to the router's :${pipeline} pipeline`;
    const wiring = patchWith(routerFile, `${describe}, as its last plug`, (src) => addPlugToPipeline(src, pipeline, plugModule, line));
    Object.assign(plan.binding, {
      web,
      plugModule,
      plugAlias: alias,
      pipeline: pipeline,
      byUser: by === "user",
      limitWords: `${o.limit} request${o.limit === 1 ? "" : "s"}`,
      perWords: durationWords(parseDuration(o.per) as number),
    });
    const file = `plugs/${underscore(alias)}`;
    const exempt = envConfigPatch(project, "test", plugModule, "exempt: [{127, 0, 0, 1}]", "the app's own tests are not rate limited: Phoenix.ConnTest's requests come from 127.0.0.1");
    plan.actions.push(render("rate-limiter", "lib/plug.ex", `lib/${webPath}/${file}.ex`), render("rate-limiter", "test/plug_test.exs", `test/${webPath}/${file}_test.exs`), wiring, exempt);
    plan.nextSteps.push(`mix test test/${webPath}/${file}_test.exs`, `behind a proxy or load balancer, read ${plugModule}'s @moduledoc on client addresses`);
    return plan;
  },
});
