// Builds the CLI into one CommonJS bundle, dist/cli.cjs, dependencies
// included: the installed package needs nothing else at run time, and
// bin/load.cjs can start it through a V8 code cache. Modules needed only by
// some runs (execa, the prompts, the diff, node-plop's inquirer) stay lazy:
// they are evaluated on first use. Type-checking is `npm run typecheck`.
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** node-plop's `import inquirer from "inquirer"` gets the lazy stand-in; everyone else the real module. */
const lazyInquirer = {
  name: "lazy-inquirer",
  setup(b) {
    b.onResolve({ filter: /^inquirer$/ }, (args) =>
      args.importer.includes(`${path.sep}node-plop${path.sep}`) ? { path: path.join(root, "src/core/lazy-inquirer.ts") } : undefined,
    );
  },
};

await rm(path.join(root, "dist"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  plugins: [lazyInquirer],
  define: { "import.meta.url": "__otpgenModuleUrl" },
  banner: { js: "const __otpgenModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: "linked",
  logLevel: "warning",
});
