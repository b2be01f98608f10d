import { z } from "zod";
import { schema as appSchema } from "../app/schema.js";

// create-otp-app --phoenix: phx.new's choices that the layer depends on, and the layer's own.
export const schema = z.object({
  dir: appSchema.shape.dir,
  app: appSchema.shape.app,
  module: appSchema.shape.module,
  ecto: z.boolean().default(true).describe("Ecto and a database (phx.new's --no-ecto leaves them out)").meta({ prompt: "A database, with Ecto?" }),
  database: z
    .enum(["postgres", "mysql", "sqlite3", "mssql"])
    .default("postgres")
    .describe("The database adapter (phx.new's --database)")
    .meta({ prompt: "Database", valueName: "adapter", when: (v: Record<string, unknown>) => v.ecto !== false }),
  binaryId: z.boolean().default(false).describe("binary_id primary keys (phx.new's --binary-id)").meta({ prompt: false }),
  live: z.boolean().default(true).describe("LiveView's socket set up (phx.new's --no-live comments it out)").meta({ prompt: "LiveView?" }),
  mailer: z.boolean().default(true).describe("Swoosh mailer (phx.new's --no-mailer)").meta({ prompt: "A mailer (Swoosh)?" }),
  dashboard: z.boolean().default(true).describe("Phoenix LiveDashboard (phx.new's --no-dashboard)").meta({ prompt: "LiveDashboard?" }),
  umbrella: z
    .boolean()
    .default(false)
    .describe("phx.new's umbrella: apps/<app> (Ecto, the domain) and apps/<app>_web, the team's tools at the root")
    .meta({ prompt: false }),
  ci: appSchema.shape.ci.meta({ prompt: "A GitHub Actions workflow (with PostgreSQL when Ecto uses it)?" }),
  git: appSchema.shape.git,
  install: appSchema.shape.install,
});

export type PhoenixAppOptions = z.output<typeof schema>;
