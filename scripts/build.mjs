// Builds the two CLI entries into dist/ with esbuild, dependencies included:
// the installed package needs nothing else at run time, and start-up reads a
// few files instead of hundreds. Heavy modules that are only needed for some
// runs (execa, the prompts, the diff, node-plop's inquirer) are split into
// chunks loaded on first use. Type-checking is `npm run typecheck`.
import { rm } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

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
  entryPoints: { "create-otp-app": "src/cli/create-otp-app.ts", gen: "src/cli/gen.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  plugins: [lazyInquirer],
  // Some bundled CommonJS packages call require(); give the ESM bundle one.
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "linked",
  logLevel: "warning",
});
