import { z } from "zod";
import { looksLikeDoctest } from "../../src/elixir/escape.js";
import { appNameProblem, moduleNameProblem } from "../../src/elixir/naming.js";

const rule = (problem: (v: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const p = problem(value);
  if (p) ctx.addIssue({ code: "custom", message: p });
};

export const schema = z.object({
  dir: z
    .string()
    .min(1, "the directory must not be empty")
    .describe("Directory to create the project in")
    .meta({ positional: true, prompt: "Project directory" }),
  app: z
    .string()
    .superRefine(rule(appNameProblem))
    .optional()
    .describe("OTP application name, snake_case (default: from the directory name)")
    .meta({ prompt: "App name", valueName: "name" }),
  module: z
    .string()
    .superRefine(rule(moduleNameProblem))
    .optional()
    .describe("Module name prefix (default: the app name camelized)")
    .meta({ prompt: "Module name", valueName: "Module" }),
  description: z
    .string()
    .max(300, "a description must be at most 300 characters")
    .refine((v) => !looksLikeDoctest(v), "a description must not start a line with iex> (it would run as a doctest)")
    .default("A supervised OTP application.")
    .describe("One-line description for the README and @moduledoc")
    .meta({ prompt: false, valueName: "text" }),
  umbrella: z
    .boolean()
    .default(false)
    .describe("An umbrella project: the team's tools and the shared config at the root, the app under apps/<app>")
    .meta({ prompt: false }),
  credo: z.boolean().default(true).describe("credo (strict, with @spec checks)").meta({ group: "Extras" }),
  dialyxir: z.boolean().default(true).describe("dialyxir (Dialyzer, PLTs cached in priv/plts)").meta({ group: "Extras" }),
  exDoc: z.boolean().default(true).describe("ex_doc (mix docs)").meta({ group: "Extras" }),
  ci: z.boolean().default(true).describe("GitHub Actions workflow (erlef/setup-beam, cached)").meta({ group: "Extras" }),
  git: z.boolean().default(true).describe("Initialise a git repository").meta({ prompt: "Initialise a git repository?" }),
  install: z.boolean().default(true).describe("Fetch dependencies with mix deps.get").meta({ prompt: "Fetch dependencies now (mix deps.get)?" }),
  elixir: z
    .string()
    .regex(/^\d+\.\d+$/, "an Elixir version must look like 1.17")
    .optional()
    .describe("Elixir version mix.exs requires (default: the installed one, else 1.15)")
    .meta({ prompt: false, valueName: "X.Y" }),
});

export type AppOptions = z.output<typeof schema>;
