"use strict";
// Starts the CLI bundle (dist/cli.cjs) as a plain Node program would run it:
// `import()` of a team's .mjs files works, and an internal error's stack trace
// names the original sources (src/core/stack.ts maps the minified bundle back).
//
// Start-up: where Node keeps a compile cache of its own (module.enableCompileCache,
// Node >= 22.1), the bundle is required with that cache on. On older Nodes
// (20.x) the bundle is compiled through vm.Script with V8 cached data kept in the
// user's cache directory, so later starts skip most parsing and compiling. That
// cache is private to the user (mode 0700), keyed by a hash of the bundle's
// content (written by the build on its last line), its size and time (for a
// bundle edited in place), the package version, the Node version and the
// architecture; written atomically, and ignored on any error. V8 itself checks
// only the source's length, so the key is what keeps old code from running. OTPGEN_NO_CODE_CACHE=1 turns both off.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const bundle = path.join(__dirname, "..", "dist", "cli.cjs");

/**
 * V8's flags for a run of the bundle, set before anything of it is compiled,
 * because V8's code cache records the flags it was made under: set later,
 * every cache written would be rejected at the next start. Not for the
 * answers printed without the bundle (node:v8 alone loads a dozen of Node's
 * modules).
 */
function setV8Flags() {
  const v8 = require("node:v8");
  // The Elixir reader's WebAssembly compiles with V8's baseline tier only (see
  // src/elixir/reader.ts, which sets this too), each function when first
  // called, and is validated then rather than all 1.4 MB at load.
  v8.setFlagsFromString("--liftoff-only");
  v8.setFlagsFromString("--wasm-lazy-compilation");
  v8.setFlagsFromString("--wasm-lazy-validation");
  // JavaScript reaches V8's optimising compiler only after about 4.4 times the
  // usual amount of execution: a generator run is over in a tenth of a second,
  // before an optimised function pays back its compile, and Node waits at exit
  // for compile jobs still running on its background threads. Long runs (a
  // 1000-child application.ex, gen inspect) still get optimised. npm run
  // bench: a generator run about 8 ms shorter than with V8's defaults, and the
  // 1000-child run 10 ms shorter than with no optimising tier at all.
  v8.setFlagsFromString("--interrupt-budget=300000");
}

/**
 * Which kind of run this is, for its code cache: V8 caches the functions the
 * run that wrote the cache compiled, and a cache written by `gen list` would
 * leave every later generator run compiling the engine, the reader and the
 * writer (npm run bench: a genserver run about 40% slower). So each kind
 * keeps its own: a generator run, create-otp-app, and each gen subcommand.
 */
function runKind(command) {
  if (command !== "gen") return "create";
  const first = process.argv[2];
  return ["list", "tree", "inspect", "doctor", "status", "undo", "upgrade", "eject", "templates"].includes(first) ? first : "run";
}

function cacheFile(source, kind) {
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    const dir = path.join(base, "create-otp-app");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The build writes the content's hash on the last line; a bundle without it is hashed here.
    const stamp = /\/\/ otpgen-bundle ([0-9a-f]{64})\n$/.exec(source.slice(-100));
    const hash = (stamp ? stamp[1] : require("node:crypto").createHash("sha256").update(source).digest("hex")).slice(0, 32);
    // A bundle edited in place (patch-package) keeps its stamp but not its time and size.
    const stat = fs.statSync(bundle);
    const edit = `${stat.size.toString(36)}${Math.trunc(stat.mtimeMs).toString(36)}`;
    return path.join(dir, `cli-${version}-${process.version}-${process.arch}-${hash}-${edit}-${kind}.v8cache`);
  } catch {
    return undefined;
  }
}

function runCached(command) {
  // The build writes the bundle in ASCII only (it checks): read as latin1, the
  // same text without UTF-8 decoding (a few ms of 3 MB at every start).
  const source = fs.readFileSync(bundle, "latin1");
  const cache = cacheFile(source, runKind(command));
  let cachedData;
  if (cache) {
    try {
      cachedData = fs.readFileSync(cache);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: bundle,
    cachedData,
  });
  const mod = { exports: {} };
  const req = Module.createRequire(bundle);
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, bundle, path.dirname(bundle));
  if (cache && (cachedData === undefined || script.cachedDataRejected)) {
    // Written after the run, so the functions it used are in the cache too.
    process.once("beforeExit", () => {
      try {
        const tmp = `${cache}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cache);
        // Caches of other bundles (an earlier version) are of no more use; this bundle's other kinds are.
        const bundleOf = (f) => f.replace(/-[a-z]+\.v8cache$/, "");
        for (const f of fs.readdirSync(path.dirname(cache))) {
          if (/^cli-.*\.v8cache$/.test(f) && bundleOf(f) !== bundleOf(path.basename(cache))) fs.rmSync(path.join(path.dirname(cache), f), { force: true });
        }
      } catch {
        // A cache is an optimisation; never fail the run for it.
      }
    });
  }
  return mod.exports.main(command, importModule);
}

// A script from V8's code cache has no loader for `import()` (not even with
// vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, on Node 20), so the bundle
// imports users' ES modules (a team's config.mjs, its plopfiles) through this
// plain CommonJS file's own `import()`.
const importModule = (url) => import(url);

/**
 * `gen list`'s text (dist/gen-list.json, written by the build from the
 * sources), when it is the whole answer: no team folder at or above the
 * project (its generators would be listed too) and no flush left unfinished
 * at the project's root (gen finishes it first). Undefined otherwise: the
 * bundle answers. The folders are looked for as src/elixir/project.ts's
 * findMixRoot and src/core/team-dir.ts's findTeamDir look.
 */
function staticList() {
  const { text, teamDir, teamEntries, journals } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "dist", "gen-list.json"), "utf8"));
  const above = (from, found) => {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
      if (found(dir)) return dir;
      if (path.dirname(dir) === dir) return undefined;
    }
  };
  const root = above(process.cwd(), (dir) => fs.existsSync(path.join(dir, "mix.exs")));
  if (root !== undefined && journals.some((j) => fs.existsSync(path.join(root, j)))) return undefined;
  const isTeamDir = (dir) => {
    const candidate = path.join(dir, teamDir);
    return fs.existsSync(candidate) && fs.statSync(candidate).isDirectory() && teamEntries.some((e) => fs.existsSync(path.join(candidate, e)));
  };
  return above(root ?? process.cwd(), isTeamDir) === undefined ? text : undefined;
}

/**
 * `gen --help`, `gen --version` and `gen list` print static text: from beside the bundle,
 * without starting it. False when the command is anything else, or the text
 * cannot be read (the bundle then answers).
 */
function answeredStatically(command) {
  const argv = process.argv.slice(2);
  if (command !== "gen" || argv.length !== 1) return false;
  let text;
  try {
    if (["--help", "-h", "help"].includes(argv[0])) text = fs.readFileSync(path.join(__dirname, "..", "dist", "gen-usage.txt"), "utf8");
    else if (["--version", "-v"].includes(argv[0])) text = `${JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version}\n`;
    else if (argv[0] === "list") text = staticList();
    else return false;
  } catch {
    return false;
  }
  if (text === undefined) return false;
  try {
    fs.writeSync(1, text);
  } catch (err) {
    // Piped into a reader that stopped early (`gen --help | head`): stop quietly.
    if (err.code !== "EPIPE") throw err;
  }
  return true;
}

module.exports = function load(command) {
  if (answeredStatically(command)) return;
  setV8Flags();
  if (process.env.OTPGEN_NO_CODE_CACHE) return require(bundle).main(command, importModule);
  if (typeof Module.enableCompileCache === "function") {
    try {
      Module.enableCompileCache();
    } catch {
      // No cache directory: run without one.
    }
    return require(bundle).main(command, importModule);
  }
  return runCached(command);
};
