// Real Hex dependencies for the generated projects: the local registry in
// ../shared/hex when it is there (this project's machines cannot reach
// hex.pm), else hex.pm itself. Each Elixir gets its own MIX_HOME and HEX_HOME
// in a machine cache, prepared once per run by the global setup
// (prepareHexHost / prepareHexNext), and the variables Mix, Hex, git and
// elixir_make need are handed to the tests with provide/inject.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "..");

/** The local Hex registry: $OTPGEN_HEX_DIR, else ../shared/hex beside the repository; undefined: use hex.pm. */
export function mirrorDir(): string | undefined {
  const dir = process.env.OTPGEN_HEX_DIR ?? path.resolve(REPO, "../shared/hex");
  return existsSync(path.join(dir, "env.sh")) ? dir : undefined;
}

/** The machine cache for the host's Elixir: MIX_HOME, and compiled deps by mix.lock. */
export function hostCache(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"), "create-otp-app");
}

/** The same cache inside the newest Elixir's chroot (a path inside it). */
export const NEXT_CACHE = "/var/cache/otpgen";
/** Where the registry is copied inside the chroot (env.sh finds everything from its own folder). */
export const NEXT_MIRROR = "/opt/otpgen-hex";

/** The variables to pass on from the shell that prepared Mix: Hex's, the mirror's, git's and elixir_make's. */
const KEPT = /^(MIX_HOME|HEX_HOME|HEX_\w+|OTPGEN_HEX_\w+|ERL_AFLAGS|MAKE|GIT_CONFIG_\w+)$/;

/** The shell script that installs Hex (and rebar3) into MIX_HOME and prints the environment, NUL-separated. */
function installScript(mirror: string | undefined): string {
  if (mirror) return `. "${mirror}/env.sh" >/dev/null && otpgen_hex_install && env -0`;
  // hex.pm: Hex from builds.hex.pm; Debian's rebar3 where there is one.
  return 'mix local.hex --force >/dev/null && { if command -v rebar3 >/dev/null; then mix local.rebar rebar3 "$(command -v rebar3)" --force; else mix local.rebar --force; fi; } >/dev/null && env -0';
}

function kept(dump: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of dump.split("\0")) {
    const i = entry.indexOf("=");
    if (i > 0 && KEPT.test(entry.slice(0, i))) out[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return out;
}

/**
 * A copy of the registry at `target`, with what a copy of it can lose put
 * back: git's empty `refs/` folders in the bare repositories of git/ (without
 * them git answers "does not appear to be a git repository", and phx.new's
 * heroicons and daisyui deps cannot be fetched).
 */
function copyMirror(mirror: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  cpSync(mirror, target, { recursive: true });
  execFileSync("chmod", ["-R", "u+w", target]);
  const git = path.join(target, "git");
  if (!existsSync(git)) return;
  for (const repo of readdirSync(git)) {
    for (const dir of ["refs/heads", "refs/tags"]) mkdirSync(path.join(git, repo, dir), { recursive: true });
  }
}

/** A command inside the chroot at `root`, with only `vars` (and a PATH) in its environment. */
function inChroot(root: string, vars: Record<string, string>, argv: string[], stdio: "ignore" | "pipe" = "ignore", lock?: string): string {
  const env = Object.entries({ PATH: "/usr/local/bin:/usr/sbin:/usr/bin:/bin", LANG: "C.UTF-8", ...vars }).map(([k, v]) => `${k}=${v}`);
  const command = ["chroot", root, "/usr/bin/env", "-i", ...env, ...argv];
  // Under `lock` (a file on the host), one such command at a time across the test workers; --close:
  // what it starts (a daemon) does not hold the lock after it.
  const [file, ...args] = lock ? ["flock", "--close", lock, ...command] : command;
  return execFileSync(file as string, args, { encoding: "utf8", stdio: ["ignore", stdio, "inherit"] });
}

/** Hex for the host's Elixir: the environment every mix command of the tests runs with. */
export function prepareHexHost(): Record<string, string> {
  const version = execFileSync("elixir", ["-e", 'IO.write("#{System.otp_release()}-#{System.version()}")'], { encoding: "utf8" });
  const home = path.join(hostCache(), `mix-${version}`);
  mkdirSync(home, { recursive: true });
  const source = mirrorDir();
  const mirror = source ? path.join(hostCache(), "hex-mirror") : undefined;
  if (source && mirror) copyMirror(source, mirror);
  const env = { ...process.env, MIX_HOME: home, HEX_HOME: path.join(home, "hex") };
  const dump = execFileSync("bash", ["-c", installScript(mirror)], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return kept(dump);
}

/**
 * Hex for the newest Elixir, inside its chroot at `root`: the registry copied
 * in (its server, on the host's loopback, answers the chroot too), /proc
 * mounted for the NIF builds and PostgreSQL, and Hex installed there.
 */
export function prepareHexNext(root: string): Record<string, string> {
  const mirror = mirrorDir();
  if (mirror) copyMirror(mirror, path.join(root, NEXT_MIRROR));
  mountProc(root);
  const vars = { HOME: "/root", MIX_HOME: `${NEXT_CACHE}/mix-home`, HEX_HOME: `${NEXT_CACHE}/mix-home/hex` };
  return kept(inChroot(root, vars, ["bash", "-c", installScript(mirror ? NEXT_MIRROR : undefined)], "pipe"));
}

/** /proc inside the chroot (cmake, nproc and PostgreSQL read it); left mounted for the run, unmounted by the teardown. */
export function mountProc(root: string): void {
  const proc = path.join(root, "proc");
  mkdirSync(proc, { recursive: true });
  try {
    execFileSync("mountpoint", ["-q", proc]);
  } catch {
    execFileSync("mount", ["-t", "proc", "proc", proc]);
  }
}

export function unmountProc(root: string): void {
  try {
    execFileSync("umount", [path.join(root, "proc")], { stdio: "ignore" });
  } catch {
    // Not mounted.
  }
}

const PG = 'v=$(ls /etc/postgresql | sort -n | tail -n 1)';

/**
 * PostgreSQL inside the chroot (installed by scripts/elixir-next.sh), on
 * localhost:5432 with the user and password phx.new's config/test.exs uses
 * (postgres/postgres). Idempotent; stopped by the global teardown.
 */
export function startPostgresNext(root: string): void {
  mountProc(root);
  // Test files run in parallel: one start (and one ALTER USER, which two at once fail with
  // "tuple concurrently updated") at a time, under a lock beside the chroot.
  const script = `${PG}; { pg_ctlcluster "$v" main status >/dev/null 2>&1 || pg_ctlcluster "$v" main start; } && su postgres -c "psql -qc \\"ALTER USER postgres PASSWORD 'postgres'\\""`;
  inChroot(root, {}, ["bash", "-c", script], "ignore", `${root}.pg.lock`);
}

/** Drop these databases (a run before this one left its apps' databases in the chroot's PostgreSQL). */
export function dropDatabasesNext(root: string, names: string[]): void {
  const drops = names.map((n) => `dropdb --if-exists ${n}`).join(" && ");
  inChroot(root, {}, ["su", "postgres", "-c", drops]);
}

export function stopPostgresNext(root: string): void {
  try {
    inChroot(root, {}, ["bash", "-c", `${PG}; pg_ctlcluster "$v" main status >/dev/null 2>&1 && pg_ctlcluster "$v" main stop; true`]);
  } catch {
    // Not installed, or not running.
  }
}
