// `gen`: generators inside a Mix project.
import { existsSync } from "node:fs";
import path from "node:path";
import { runGenerator } from "../core/engine.js";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { packageVersion } from "../core/paths.js";
import { genGenerators } from "./registry.js";

const USAGE = `Usage: gen <generator> [args] [options]

Generators that write idiomatic Elixir/OTP modules into the Mix project
around the current directory, wire them into the supervision tree, and check
the result with mix format, the compiler and credo.

Commands:
  gen list                 list the generators
  gen <generator> --help   options and examples of one generator

Options:
  -h, --help               show this help
  -v, --version            show the version
`;

/** The nearest directory at or above `from` that holds a mix.exs. */
export function findMixProject(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "mix.exs"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function list(io: Io, generators: readonly GeneratorDef[]): number {
  if (generators.length === 0) {
    io.stdout("No generators are available yet in this version of create-otp-app.\n");
    return 0;
  }
  const width = Math.max(...generators.map((g) => g.name.length));
  io.stdout(`Generators (gen <generator> --help for options):\n`);
  for (const g of generators) io.stdout(`  ${g.name.padEnd(width)}  ${g.description}\n`);
  return 0;
}

export async function gen(argv: string[], io: Io, generators: readonly GeneratorDef[] = genGenerators): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    io.stdout(USAGE);
    return first === undefined ? 2 : 0;
  }
  if (first === "-v" || first === "--version") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (first === "list") return list(io, generators);
  if (first.startsWith("-")) {
    io.stderr(`gen: unknown option ${JSON.stringify(first)}; run gen --help\n`);
    return 2;
  }
  const def = generators.find((g) => g.name === first);
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  const project = findMixProject(io.cwd);
  if (!project && !(def && wantsHelp)) {
    io.stderr(`gen: no mix.exs in ${io.cwd} or any directory above it; run gen inside a Mix project (create one with: npx create-otp-app my_app)\n`);
    return 2;
  }
  if (!def) {
    io.stderr(`gen: unknown generator ${JSON.stringify(first)}; run gen list to see the generators\n`);
    return 2;
  }
  return runGenerator(def, rest, { ...io, cwd: io.cwd }, `gen ${def.name}`);
}
