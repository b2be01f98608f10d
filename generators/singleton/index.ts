// gen singleton NAME: one process per cluster. The process is registered
// through :global ({:via, :global, name}); every node runs a claimant that
// starts it or watches the node that holds it, and takes over when that node
// goes. Tested with two :peer nodes on loopback: one instance, then a takeover
// when the holder's node is lost.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, loggerMetadataPatch, nameField, otpNames, otpPlan, render, requireProject, UNEXPECTED_MESSAGE_KEYS, underField, wire } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Leader"),
  description: descriptionField("One process for the whole cluster, holding state every node shares."),
  under: underField,
});

export default defineGenerator({
  name: "singleton",
  description: DESCRIPTIONS.singleton,
  examples: ["gen singleton Leader", "gen singleton Billing.Coordinator"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const claimant = `${n.module}.Singleton`;
    const binding = {
      ...n,
      description: o.description,
      // Its tests check that the instance's state survives a healed netsplit.
      singletonState: true,
      singletonIntro: `  Runs \`${n.module}\` on one node of the cluster at a time: one instance for\n  the whole cluster, which moves to another node when its node goes.`,
    };
    const plan = otpPlan(
      project,
      binding,
      [
        render("singleton", "lib/module.ex", n.file),
        render("singleton", "lib/module/singleton.ex", n.file.replace(/\.ex$/, "/singleton.ex")),
        render("singleton", "test/module_test.exs", n.testFile),
        render("singleton", "test/module/singleton_test.exs", n.testFile.replace(/_test\.exs$/, "/singleton_test.exs")),
        wire(project, { code: claimant, ids: [claimant, n.module] }, o.under),
        loggerMetadataPatch(project, UNEXPECTED_MESSAGE_KEYS),
      ],
      n,
    );
    plan.nextSteps.push(`every node runs ${claimant}; ${n.module} runs on one of them (gen cluster connects the nodes)`);
    return plan;
  },
});
