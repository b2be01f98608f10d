// Builds the CLI into one CommonJS bundle, dist/cli.cjs, dependencies
// included: the installed package needs nothing else at run time, and
// bin/load.cjs can start it through a V8 code cache. Modules needed only by
// some runs (execa, the prompts, the diff, node-plop's inquirer) stay lazy:
// they are evaluated on first use. Type-checking is `npm run typecheck`.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import Handlebars from "handlebars";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

/**
 * A script started from V8's code cache has no loader for import() (see
 * bin/load.cjs). web-tree-sitter imports two of Node's own modules that way;
 * in the bundle they are required (through the bundle's own `require`, which
 * its Emscripten code shadows with a local one). Users' ES modules go through
 * the bin's importer instead (src/core/import-file.ts).
 */
const builtinImports = {
  name: "builtin-imports",
  setup(b) {
    b.onLoad({ filter: /[\\/]web-tree-sitter[\\/]tree-sitter\.c?js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source.replace(/await import\("(module|fs\/promises)"\)/g, (_m, name) => `__otpgenRequire("${name}")`);
      if (contents === source) throw new Error("web-tree-sitter no longer imports module or fs/promises dynamically: review builtinImports");
      return { contents, loader: "js" };
    });
  },
};

/** A module of src/, bundled and evaluated here: the build uses the same code as the CLI. */
async function srcModule(entry) {
  const out = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: "cjs",
    platform: "node",
    write: false,
    logLevel: "warning",
    define: { "import.meta.url": JSON.stringify(pathToFileURL(path.join(root, entry)).href) },
  });
  const mod = { exports: {} };
  new Function("module", "exports", "require", out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  return mod.exports;
}

/**
 * The built-in templates, precompiled: handlebars compiling them at every run
 * was about 20 ms of a gen run. Keyed by src/core/hash.ts's templateKey of each source, so a team's
 * override (other text) is still compiled at run time. The options are
 * src/core/render.ts's COMPILE_OPTIONS.
 */
async function precompiledTemplates() {
  const { templateKey } = await srcModule("src/core/hash.ts");
  const dir = path.join(root, "templates");
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".hbs")).sort();
  const entries = new Map();
  for (const f of files) {
    const source = await readFile(path.join(dir, f), "utf8");
    const key = templateKey(source);
    // Templates with the same text (the empty partials) share one spec.
    if (!entries.has(key)) entries.set(key, `  ${JSON.stringify(key)}: ${Handlebars.precompile(source, { noEscape: true, strict: true, preventIndent: true })},`);
  }
  return `export const precompiled = {\n${[...entries.values()].join("\n")}\n};\n`;
}

/**
 * commander requires child_process when loaded, for executable subcommands,
 * which gen never uses: with it come net and dgram, at every start of a run
 * that spawns nothing (\`gen genserver --no-check\`). Required on first use instead.
 */
const lazyCommanderSpawn = {
  name: "lazy-commander-spawn",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error("commander no longer requires child_process that way: review lazyCommanderSpawn");
      return { contents: source.replace(eager, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: "js" };
    });
  },
};

/**
 * node-plop reads `fs.promises.readdir` (and stat, chmod) when its modules load,
 * and imports `rm` from fs/promises, which loads fs/promises at every generator
 * run: one more of Node's modules, for actions that run only in a team's
 * plopfile. Read on first call instead.
 */
const lazyPlopFsPromises = {
  name: "lazy-plop-fs-promises",
  setup(b) {
    b.onLoad({ filter: /[\\/]node-plop[\\/]src[\\/](fs-promise-proxy|actions[\\/]_common-action-add-file)\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source
        .replace(/^export const (\w+) = fs\.promises\.(\w+);$/gm, "export const $1 = (...args) => fs.promises.$2(...args);")
        .replace(/^import \{ rm \} from "node:fs\/promises";$/m, 'import { promises as lazyFsPromises } from "node:fs";\nconst rm = (...args) => lazyFsPromises.rm(...args);');
      if (/=\s*fs\.promises\.\w+\s*;|from "(node:)?fs\/promises"/.test(contents) || contents === source) {
        throw new Error(`node-plop's ${path.basename(args.path)} changed: review lazyPlopFsPromises`);
      }
      return { contents, loader: "js" };
    });
  },
};

/**
 * node-plop's `resolve` (for a plopfile's `load`), addMany's tinyglobby and
 * the case helpers' change-case and title-case are evaluated when node-plop
 * loads, at every generator run, for what only a team's plopfile or template
 * uses (npm run bench: about 2.5 ms; `resolve` computes Node's list of core
 * modules at load). Each is required on first call instead.
 */
const lazyPlopImports = {
  name: "lazy-plop-imports",
  setup(b) {
    // node-plop.js has a `require` of its own (createRequire, for plopfiles): the lazy
    // require of `resolve` lives in a module of its own, where `require` is the bundle's.
    const caseHelpers = ["camelCase", "snakeCase", "dotCase", "pathCase", "sentenceCase", "constantCase", "kebabCase", "pascalCase"];
    const lazy = {
      "node-plop.js": [['import resolve from "resolve";', 'import { resolve } from "otpgen:lazy-resolve";']],
      "addMany.js": [['import { globSync } from "tinyglobby";', 'const globSync = (...args) => require("tinyglobby").globSync(...args);']],
      // The case helpers (change-case builds its Unicode regular expressions when loaded).
      "baked-in-helpers.js": [
        [`import {\n${caseHelpers.map((h) => `  ${h},\n`).join("")}} from "change-case";`, caseHelpers.map((h) => `const ${h} = (...args) => require("change-case").${h}(...args);`).join("\n")],
        ['import { titleCase } from "title-case";', 'const titleCase = (...args) => require("title-case").titleCase(...args);'],
      ],
    };
    b.onLoad({ filter: /[\\/]node-plop[\\/]src[\\/](node-plop|baked-in-helpers|actions[\\/]addMany)\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      let contents = source;
      for (const [eager, onUse] of lazy[path.basename(args.path)]) {
        if (!contents.includes(eager)) throw new Error(`node-plop's ${path.basename(args.path)} no longer has ${eager}: review lazyPlopImports`);
        contents = contents.replace(eager, onUse);
      }
      return { contents, loader: "js", resolveDir: path.dirname(args.path) };
    });
    b.onResolve({ filter: /^otpgen:lazy-resolve$/ }, (args) => ({ path: args.path, namespace: "otpgen", pluginData: args.resolveDir }));
    b.onLoad({ filter: /^otpgen:lazy-resolve$/, namespace: "otpgen" }, (args) => ({
      contents: 'export const resolve = { sync: (...args) => require("resolve").sync(...args) };',
      loader: "js",
      resolveDir: args.pluginData,
    }));
  },
};

/**
 * picocolors asks `process.stdout.isTTY`, which makes the stdout stream (and
 * loads Node's net and stream modules) at every start, though the CLI writes to
 * the descriptors (src/cli/io.ts). It asks the descriptor instead: the same
 * answer, since Node makes a terminal stream exactly when isatty(1).
 */
const picocolorsIsatty = {
  name: "picocolors-isatty",
  setup(b) {
    b.onLoad({ filter: /[\\/]picocolors[\\/]picocolors\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const eager = "(p.stdout || {}).isTTY";
      if (!source.includes(eager)) throw new Error("picocolors no longer asks process.stdout.isTTY that way: review picocolorsIsatty");
      return { contents: source.replace(eager, 'require("tty").isatty(1)'), loader: "js" };
    });
  },
};

/**
 * Packages that only some runs use, each bundled on its own beside the CLI
 * (dist/vendor/NAME.cjs) and required from there on first use: the prompts
 * (a person at a terminal), node-plop's inquirer (a team's plopfile that
 * registers a prompt), execa (the check step's mix runs) and yaml (the
 * Kubernetes and CI files). In the CLI's bundle they were a third of its 3.3
 * MB, read and set up at every start (npm run bench: a generator run about
 * 4 ms shorter without them). None holds state the CLI shares.
 */
const VENDOR = { execa: "execa", "@inquirer/prompts": "inquirer-prompts", inquirer: "inquirer", yaml: "yaml" };
const vendorExternal = {
  name: "vendor-external",
  setup(b) {
    b.onResolve({ filter: /^(execa|@inquirer\/prompts|inquirer|yaml)$/ }, (args) => ({ path: `./vendor/${VENDOR[args.path]}.cjs`, external: true }));
  },
};

const precompiledModule = {
  name: "precompiled-templates",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]core[\\/]precompiled\.ts$/ }, async () => ({ contents: await precompiledTemplates(), loader: "js" }));
  },
};

await rm(path.join(root, "dist"), { recursive: true, force: true });
/** What the CLI's bundle and the vendored ones share: minified CommonJS for Node 20, licences linked. */
const shipped = {
  absWorkingDir: root,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // Minified for start-up (about 25 ms less than unminified with the code
  // cache, npm run bench); an internal error's trace is mapped back to src/
  // through the shipped map (src/core/stack.ts), read only then.
  minify: true,
  legalComments: "linked",
  define: { "import.meta.url": "__otpgenModuleUrl" },
  banner: { js: "const __otpgenModuleUrl = require('node:url').pathToFileURL(__filename).href; const __otpgenRequire = require;" },
  logLevel: "warning",
};
await build({
  ...shipped,
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  // import() of a vendored package becomes a require: a script run from V8's code cache has no loader for import().
  supported: { "dynamic-import": false },
  // lazyInquirer first: node-plop's own `inquirer` is the stand-in, which requires the vendored one.
  plugins: [lazyInquirer, vendorExternal, builtinImports, lazyCommanderSpawn, lazyPlopFsPromises, lazyPlopImports, picocolorsIsatty, precompiledModule],
  sourcemap: "external",
});
await build({ ...shipped, entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([pkg, name]) => [name, pkg])), outdir: "dist/vendor" });

// The Elixir reader's WebAssembly (web-tree-sitter's runtime and the
// tree-sitter-elixir grammar) ships beside the bundle: src/elixir/reader.ts
// loads it from dist/ in the installed package.
for (const [from, to] of [
  ["node_modules/web-tree-sitter/tree-sitter.wasm", "dist/tree-sitter.wasm"],
  ["node_modules/tree-sitter-elixir/tree-sitter-elixir.wasm", "dist/tree-sitter-elixir.wasm"],
]) {
  await copyFile(path.join(root, from), path.join(root, to));
}

// `gen --help`'s text beside the bundle: bin/load.cjs prints it without
// starting the bundle (npm run bench: about a third of the time of a start).
const usageModule = { exports: await srcModule("src/cli/gen-usage.ts") };
if (typeof usageModule.exports.GEN_USAGE !== "string") throw new Error("src/cli/gen-usage.ts no longer exports GEN_USAGE");
await writeFile(path.join(root, "dist/gen-usage.txt"), usageModule.exports.GEN_USAGE);

// `gen list`'s text and when it holds, beside the bundle: bin/load.cjs prints it
// without starting the bundle in a project with no team folder and no
// unfinished flush (npm run bench: the list at about Node's own start).
const { staticList } = await srcModule("src/cli/gen-list.ts");
await writeFile(path.join(root, "dist/gen-list.json"), `${JSON.stringify(staticList())}\n`);

// gen inspect --json's JSON Schema, published in the package (schema/): the
// zod schema the command validates its document with, as JSON Schema.
const schemaModule = { exports: await srcModule("src/elixir/inspect/schema.ts") };
await mkdir(path.join(root, "schema"), { recursive: true });
await writeFile(path.join(root, "schema/inspect.schema.json"), `${JSON.stringify(schemaModule.exports.inspectJsonSchema(), null, 2)}\n`);

// The last line names the bundle's content: bin/load.cjs keys its V8 code
// cache by it, so an upgrade never runs code cached from another bundle. (Last,
// so that the source map's lines still match.)
const out = path.join(root, "dist/cli.cjs");
const code = await readFile(out, "utf8");
// bin/load.cjs reads the bundle as latin1, which is the same text only for ASCII
// (esbuild's default charset escapes the rest).
const nonAscii = code.search(/[^\x00-\x7f]/);
if (nonAscii !== -1) throw new Error(`dist/cli.cjs is not ASCII at offset ${nonAscii}: bin/load.cjs reads it as latin1`);
await writeFile(out, `${code}${code.endsWith("\n") ? "" : "\n"}// otpgen-bundle ${createHash("sha256").update(code).digest("hex")}\n`);
