// The asset tools `mix assets.deploy` runs, inside the newest Elixir's chroot,
// for a Phoenix app built as its Dockerfile builds it. The Elixir packages
// (esbuild, tailwind) download their executables from GitHub, which this
// machine cannot reach; here they come from the npm registry (this project's
// devDependencies) and the packages take them from MIX_ESBUILD_PATH and
// MIX_TAILWIND_PATH:
//   - esbuild: the platform binary of the `esbuild` package;
//   - tailwind: the `@tailwindcss/cli` package run by this machine's node
//     (copied in: a single binary), with its dependencies; the standalone
//     executable bundles the `tailwindcss` package and honours NODE_PATH,
//     which the wrapper gives it;
//   - daisyUI: phx.new imports `daisyui/packages/bundle/daisyui(-theme)`
//     from its git dependency, whose copy in ../shared/hex has the plugin's
//     sources but not the two bundled files; they re-export the npm
//     package's plugin and theme.
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "..");
/** Where the tools live inside the chroot. */
export const ASSET_TOOLS = "/opt/otpgen-assets";

/** The installed packages `name` needs, itself included (optional ones for other platforms are not installed). */
function closure(name: string, seen = new Set<string>()): Set<string> {
  const dir = path.join(REPO, "node_modules", name);
  if (seen.has(name) || !existsSync(dir)) return seen;
  seen.add(name);
  const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: object; optionalDependencies?: object };
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) closure(dep, seen);
  return seen;
}

/** Installs the tools in the chroot at `root` (again only when the versions changed); the environment `mix assets.deploy` needs. */
export function prepareAssetTools(root: string): Record<string, string> {
  const at = path.join(root, ASSET_TOOLS);
  const version = (p: string): string => (JSON.parse(readFileSync(path.join(REPO, "node_modules", p, "package.json"), "utf8")) as { version: string }).version;
  const stamp = JSON.stringify({ node: process.version, esbuild: version("esbuild"), tailwind: version("@tailwindcss/cli"), daisyui: version("daisyui") });
  const env = { MIX_ESBUILD_PATH: `${ASSET_TOOLS}/bin/esbuild`, MIX_TAILWIND_PATH: `${ASSET_TOOLS}/bin/tailwind` };
  if (existsSync(path.join(at, "stamp")) && readFileSync(path.join(at, "stamp"), "utf8") === stamp) return env;
  rmSync(at, { recursive: true, force: true });
  mkdirSync(path.join(at, "bin"), { recursive: true });
  cpSync(process.execPath, path.join(at, "bin/node"));
  cpSync(path.join(REPO, "node_modules/@esbuild/linux-x64/bin/esbuild"), path.join(at, "bin/esbuild"));
  for (const p of [...closure("@tailwindcss/cli"), ...closure("daisyui")]) {
    cpSync(path.join(REPO, "node_modules", p), path.join(at, "node_modules", p), { recursive: true, dereference: true });
  }
  const bundle = path.join(at, "shim/daisyui/packages/bundle");
  mkdirSync(bundle, { recursive: true });
  writeFileSync(path.join(at, "shim/daisyui/package.json"), '{ "type": "module" }\n');
  writeFileSync(path.join(bundle, "daisyui.js"), 'export { default } from "daisyui";\n');
  writeFileSync(path.join(bundle, "daisyui-theme.js"), 'export { default } from "daisyui/theme";\n');
  const tailwind = path.join(at, "bin/tailwind");
  writeFileSync(
    tailwind,
    `#!/bin/sh\nNODE_PATH="${ASSET_TOOLS}/shim:${ASSET_TOOLS}/node_modules\${NODE_PATH:+:$NODE_PATH}" exec ${ASSET_TOOLS}/bin/node ${ASSET_TOOLS}/node_modules/@tailwindcss/cli/dist/index.mjs "$@"\n`,
  );
  chmodSync(tailwind, 0o755);
  writeFileSync(path.join(at, "stamp"), stamp);
  return env;
}

/** config/config.exs: the asset packages take their executables from the environment (as their docs show for offline builds). */
export const ASSET_PATHS_CONFIG = `
config :esbuild, path: System.get_env("MIX_ESBUILD_PATH")
config :tailwind, path: System.get_env("MIX_TAILWIND_PATH")
`;
