// gen pool NAME: a pool of resources (connections, ports, clients) of fixed
// size. NimblePool by default: the resources live in the pool process, with
// init_worker / handle_checkout / handle_checkin / terminate_worker and a
// checkout!/2 facade with a timeout; --poolboy: a Poolboy pool of worker
// processes with transaction/2. Wired into the tree. Its tests show that
// concurrency never passes the pool size, that a crashed resource is
// replaced, that one that dies while lent out is never lent again, and that
// the resources end with the pool.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { depPatch, descriptionField, nameField, otpNames, otpPlan, render, requireProject, underField, wire } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("ConnectionPool"),
  description: descriptionField("A fixed number of resources, checked out one caller at a time."),
  size: z.coerce.number().int().min(1, "--size must be 1 or more").max(1000, "--size must be at most 1000").default(5).describe("How many resources the pool holds").meta({ prompt: "How many resources the pool holds", valueName: "n" }),
  poolboy: z
    .boolean()
    .default(false)
    .describe("A Poolboy pool of worker processes (transaction/2), for teams on Poolboy, instead of NimblePool")
    .meta({ prompt: "Use Poolboy (worker processes) instead of NimblePool?" }),
  under: underField,
});

export default defineGenerator({
  name: "pool",
  description: DESCRIPTIONS.pool,
  examples: ["gen pool ConnectionPool", "gen pool Smtp.Pool --size 10", "gen pool Ldap.Pool --poolboy"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const binding = { ...n, description: o.description, size: o.size, poolboy: o.poolboy, resource: `${n.module}.Resource`, worker: `${n.module}.Worker` };
    const actions = o.poolboy
      ? [
          render("pool", "lib/poolboy.ex", n.file),
          render("pool", "lib/module/worker.ex", n.file.replace(/\.ex$/, "/worker.ex")),
          render("pool", "test/poolboy_test.exs", n.testFile),
          depPatch("poolboy", '{:poolboy, "~> 1.5"}'),
        ]
      : [render("pool", "lib/nimble.ex", n.file), render("pool", "test/nimble_test.exs", n.testFile), depPatch("nimble_pool", '{:nimble_pool, "~> 1.1"}')];
    const plan = otpPlan(project, binding, [...actions, wire(project, { code: n.module, ids: [n.module] }, o.under)], n);
    plan.format = { localsWithoutParens: "[]" };
    plan.nextSteps.unshift(`mix deps.get (for ${o.poolboy ? "Poolboy" : "NimblePool"})`);
    return plan;
  },
});
