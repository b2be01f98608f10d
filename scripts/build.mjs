// Builds the two CLI entries into dist/ with esbuild. Dependencies stay
// external (they are installed with the package); type-checking is `npm run typecheck`.
import { build } from "esbuild";
import { rm } from "node:fs/promises";

await rm(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { "create-otp-app": "src/cli/create-otp-app.ts", gen: "src/cli/gen.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  banner: { js: "#!/usr/bin/env node" },
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: "linked",
  logLevel: "warning",
});
