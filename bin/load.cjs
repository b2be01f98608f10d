"use strict";
// Starts the CLI bundle (dist/cli.cjs). Node 20 keeps no compile cache of its
// own, so this compiles the bundle through vm.Script with V8 cached data kept
// in the user's cache directory: later starts skip most parsing and compiling.
// The cache is private to the user (mode 0700), keyed by the Node version and
// the bundle's size and time, written atomically, and ignored on any error.
// OTPGEN_NO_CODE_CACHE=1 turns it off.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

function cacheFile(bundle) {
  if (process.env.OTPGEN_NO_CODE_CACHE) return undefined;
  try {
    const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    const dir = path.join(base, "create-otp-app");
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(bundle);
    const key = `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}`;
    return path.join(dir, `cli-${key}.v8cache`);
  } catch {
    return undefined;
  }
}

module.exports = function load(command) {
  const bundle = path.join(__dirname, "..", "dist", "cli.cjs");
  const source = fs.readFileSync(bundle, "utf8");
  const cache = cacheFile(bundle);
  let cachedData;
  if (cache) {
    try {
      cachedData = fs.readFileSync(cache);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  if (cache && (cachedData === undefined || script.cachedDataRejected)) {
    // Written after the run, so the functions it used are in the cache too.
    process.once("beforeExit", () => {
      try {
        const tmp = `${cache}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cache);
      } catch {
        // A cache is an optimisation; never fail the run for it.
      }
    });
  }
  return mod.exports.main(command);
};
