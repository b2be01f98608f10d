// npm run bench: how fast create-otp-app is, as ratios against baselines
// measured in the same run. Each case runs alternately with its baseline
// (A B A B ...) after a warm-up; the table shows medians and the median of
// the pair-by-pair ratios. What is measured is the installed package, as a
// user runs it: `npm pack`, then `npm install` of the tarball into the bench's
// folder (npm run bench builds first), with a code cache of its own.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const WARMUP = 2;
const work = mkdtempSync(path.join(os.tmpdir(), "otpgen-bench-"));
const packed = JSON.parse(execFileSync("npm", ["pack", "--pack-destination", work, "--json"], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", path.join(work, "prefix"), path.join(work, packed[0].filename)], { stdio: ["ignore", "ignore", "inherit"] });
const installed = path.join(work, "prefix/node_modules/create-otp-app");
const genBin = path.join(installed, "bin/gen.cjs");
const createBin = path.join(installed, "bin/create-otp-app.cjs");
const plopBin = path.join(repo, "node_modules/plop/bin/plop.js");
// Variables that change Node's own start, whatever it runs, are left out of every
// run, baselines included. NODE_EXTRA_CA_CERTS makes each Node process read and
// parse the certificates it names before running anything (this machine sets it
// to the whole system bundle: about 40 ms at every start), and that constant would
// hide in the ratios what the tool itself costs. A user's machine rarely sets it;
// the row "node -e 0 with this environment's ..." below shows what it adds here.
const NODE_START_VARS = ["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS", "NODE_V8_COVERAGE", "NODE_DEBUG", "NODE_COMPILE_CACHE"];
const removed = NODE_START_VARS.filter((v) => process.env[v] !== undefined);
const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !NODE_START_VARS.includes(k))), NO_COLOR: "1", XDG_CACHE_HOME: path.join(work, "cache") };

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;
}

/** Run a command, return milliseconds; a failing command stops the bench. */
function time(cmd, args, cwd, withEnv = env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env: withEnv, stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${r.stdout}${r.stderr}`);
  }
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let counter = 0;
const unique = (prefix) => `${prefix}${++counter}`;

/** Alternate baseline and case; both are functions returning milliseconds. */
function pair(label, baselineLabel, baseline, candidate, target) {
  for (let i = 0; i < WARMUP; i++) {
    baseline();
    candidate();
  }
  const b = [];
  const c = [];
  const ratios = [];
  for (let i = 0; i < RUNS; i++) {
    const bi = baseline();
    const ci = candidate();
    b.push(bi);
    c.push(ci);
    ratios.push(ci / bi);
  }
  const row = { label, baselineLabel, candidate: median(c), baseline: median(b), ratio: median(ratios), target };
  console.error(`  ${label}: ${row.candidate.toFixed(0)} ms vs ${row.baseline.toFixed(0)} ms (${row.ratio.toFixed(2)}x)`);
  return row;
}

/** A project made by create-otp-app, without hex deps so mix can compile it here. */
function project(name, extra = []) {
  const dir = path.join(work, name);
  time("node", [createBin, dir, "--yes", "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc", ...extra], work);
  return dir;
}

/** An application.ex with n children, for the scaling rows. */
function withChildren(dir, n) {
  const app = path.join(dir, "lib", path.basename(dir), "application.ex");
  const module = readFileSync(app, "utf8").match(/defmodule (\w+)\.Application/)[1];
  const children = Array.from({ length: n }, (_, i) => `      {${module}.Child${i}, []}`).join(",\n");
  writeFileSync(app, readFileSync(app, "utf8").replace(/children = \[\n[\s\S]*?\n {4}\]/, `children = [\n${children}\n    ]`));
}

const rows = [];
const notes = [];
const node = () => time("node", ["-e", "0"], work);

console.error(`bench: ${RUNS} runs per case after ${WARMUP} warm-up runs, in ${work}`);

if (removed.length > 0) {
  // What the left-out variables add to Node's own start on this machine (information only).
  rows.push(pair(`node -e 0 with this environment's ${removed.join(", ")}`, "node -e 0", node, () => time("node", ["-e", "0"], work, { ...env, ...Object.fromEntries(removed.map((v) => [v, process.env[v]])) }), undefined));
  notes.push(`left out of every run, baselines included (they change Node's own start, whatever it runs): ${removed.join(", ")}`);
}

const genProject = project("genproj");
rows.push(
  pair("gen genserver NAME --yes --no-check", "node -e 0", node, () => time("node", [genBin, "genserver", unique("Server"), "--yes", "--no-check"], genProject), 1.5),
);

// What a generator run cannot go below: the Elixir reader alone, outside the
// CLI, reading the two files every run reads (bench/reader-floor.cjs).
rows.push(
  pair(
    "the Elixir reader alone: the grammar loaded, mix.exs and application.ex parsed (bench/reader-floor.cjs)",
    "node -e 0",
    node,
    () => time("node", [path.join(repo, "bench/reader-floor.cjs"), path.join(installed, "dist"), genProject], work),
    undefined,
  ),
);

// The loader's V8 code cache (Node 20) against plain loading of the same bundle.
const noCache = { ...env, OTPGEN_NO_CODE_CACHE: "1" };
rows.push(
  pair(
    "gen genserver NAME, code cache (bin/load.cjs)",
    "the same, plain require (OTPGEN_NO_CODE_CACHE=1)",
    () => time("node", [genBin, "genserver", unique("Plain"), "--yes", "--no-check"], genProject, noCache),
    () => time("node", [genBin, "genserver", unique("Cached"), "--yes", "--no-check"], genProject),
    undefined,
  ),
);

rows.push(
  pair("create-otp-app demo --yes --no-install --no-check", "node -e 0", node, () => time("node", [createBin, unique("demo"), "--yes", "--no-install", "--no-check"], work), 1.8),
);
rows.push(pair("gen --help", "node -e 0", node, () => time("node", [genBin, "--help"], genProject), 1.3));
rows.push(pair("gen list", "node -e 0", node, () => time("node", [genBin, "list"], genProject), 1.3));

if (has("mix")) {
  rows.push(pair("mix new demo --sup (peer)", "node -e 0", node, () => time("mix", ["new", unique("peer"), "--sup"], work), undefined));
} else {
  notes.push("mix new: not measured, mix is not installed");
}

const plopDir = path.join(work, "plop");
mkdirSync(plopDir);
rows.push(
  pair("plop, one-file generator (peer)", "node -e 0", node, () => time("node", [plopBin, "--plopfile", path.join(repo, "bench/plopfile.mjs"), "--dest", plopDir, "module", unique("Mod")], plopDir), undefined),
);

if (has("mix")) {
  // The check step's own mix run against the same work done by hand: one BEAM instead of two.
  const dir = project("checkproj");
  const files = ["lib/checkproj.ex", "lib/checkproj/application.ex"];
  const touch = () => {
    const now = new Date();
    for (const f of files) utimesSync(path.join(dir, f), now, now);
  };
  time("mix", ["compile"], dir);
  const script = path.join(repo, "src/mix/check.exs");
  rows.push(
    pair(
      "check step (format + compile + credo where present, one mix run)",
      "mix format + mix compile --warnings-as-errors by hand",
      () => {
        touch();
        return time("mix", ["format", ...files], dir) + time("mix", ["compile", "--warnings-as-errors"], dir);
      },
      () => {
        touch();
        return time("mix", ["run", "--no-compile", "--no-start", "--no-deps-check", script, ...files], dir);
      },
      0.7,
    ),
  );
} else {
  notes.push("check step: not measured, mix is not installed");
}

// Scaling: generation time as application.ex grows, against 10 children.
const base = project("scale10");
withChildren(base, 10);
for (const n of [100, 1000]) {
  const dir = project(`scale${n}`);
  withChildren(dir, n);
  rows.push(
    pair(
      `gen genserver into an application.ex with ${n} children`,
      "the same with 10 children",
      () => time("node", [genBin, "genserver", unique("Scaled"), "--yes", "--no-check"], base),
      () => time("node", [genBin, "genserver", unique("Scaled"), "--yes", "--no-check"], dir),
      undefined,
    ),
  );
}
// gen context in the Phoenix fixture: a fresh context each run; 100 fields against 5.
const phx = path.join(work, "phx");
cpSync(path.join(repo, "test/fixtures/phx_app"), phx, { recursive: true });
const TYPES = ["string", "integer", "text", "boolean", "decimal", "date", "utc_datetime", "array:string", "enum:a,b", "map"];
const fields = (n) => Array.from({ length: n }, (_, i) => `field${i}:${TYPES[i % TYPES.length]}`);
const context = (n) => () => time("node", [genBin, "context", unique("Ctx"), "Item", "items", ...fields(n), "--no-check"], phx);
rows.push(pair("gen context Ctx Item items (5 fields) --no-check", "node -e 0", node, context(5), undefined));
rows.push(pair("gen context with 100 fields", "the same with 5 fields", context(5), context(100), undefined));
if (has("elixir")) notes.push("gen context includes Elixir's formatter over the generated files (one BEAM start, about 0.4 s here)");

// gen inspect on a 200-file project (test/fixtures/inspect_shop and 184 modules of
// three kinds: GenServers owning ETS tables, Ecto schemas, LiveViews), against gen tree there.
const big = path.join(work, "inspect200");
cpSync(path.join(repo, "test/fixtures/inspect_shop"), big, { recursive: true });
const countEx = (dir) => {
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith(".ex")) n++;
    }
  };
  walk(dir);
  return n;
};
mkdirSync(path.join(big, "lib/my_shop2/gen"), { recursive: true });
for (let i = 1; countEx(path.join(big, "lib")) < 200; i++) {
  const kinds = [
    `defmodule MyShop2.Gen.Worker${i} do\n  @moduledoc false\n  use GenServer\n\n  def start_link(opts), do: GenServer.start_link(__MODULE__, opts, name: __MODULE__)\n\n  @impl true\n  def init(opts) do\n    table = :ets.new(:"worker_${i}", [:named_table, :protected, read_concurrency: true])\n    :telemetry.execute([:my_shop2, :worker${i}, :init], %{count: 1}, %{})\n    {:ok, %{table: table, opts: opts}}\n  end\n\n  @impl true\n  def handle_cast({:put, key, value}, state) do\n    true = :ets.insert(state.table, {key, value})\n    Phoenix.PubSub.broadcast(MyShop2.PubSub, "worker:${i}", {:put, key})\n    {:noreply, state}\n  end\nend\n`,
    `defmodule MyShop2.Gen.Item${i} do\n  @moduledoc false\n  use Ecto.Schema\n  import Ecto.Changeset\n\n  schema "items_${i}" do\n    field :name, :string\n    field :price, :decimal\n    belongs_to :owner, MyShop2.Accounts.User\n    has_many :parts, MyShop2.Gen.Part${i}\n    timestamps(type: :utc_datetime)\n  end\n\n  def changeset(item, attrs), do: item |> cast(attrs, [:name, :price]) |> validate_required([:name])\nend\n`,
    `defmodule MyShop2Web.Gen.Page${i}Live do\n  use MyShop2Web, :live_view\n\n  @impl true\n  def mount(_params, _session, socket) do\n    if connected?(socket), do: Phoenix.PubSub.subscribe(MyShop2.PubSub, "page:${i}")\n    {:ok, assign(socket, :count, 0)}\n  end\n\n  @impl true\n  def handle_event("inc", _params, socket), do: {:noreply, update(socket, :count, &(&1 + 1))}\nend\n`,
  ];
  writeFileSync(path.join(big, `lib/my_shop2/gen/mod_${i}.ex`), kinds[i % 3]);
}
const files200 = countEx(path.join(big, "lib"));
rows.push(pair(`gen inspect --json, ${files200}-file project`, "gen tree on the same project", () => time("node", [genBin, "tree"], big), () => time("node", [genBin, "inspect", "--json"], big), undefined));
const inspectRow = rows[rows.length - 1];
notes.push(`gen inspect --json on ${files200} .ex files: ${inspectRow.candidate.toFixed(0)} ms (issue 34's bound: under 1 s, ${inspectRow.candidate < 1000 ? "met" : "not met"})`);

const elixir = has("elixir") ? spawnSync("elixir", ["--short-version"], { encoding: "utf8" }).stdout.trim() : "not installed";
notes.push(`measured: the installed package (${packed[0].filename}, npm pack then npm install), Node's own start (node -e 0) as the baseline`);
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, Elixir ${elixir}`;
const table = [
  `# create-otp-app benchmark`,
  "",
  `${new Date().toISOString().slice(0, 10)} on ${machine}. ${RUNS} alternating runs per case after ${WARMUP} warm-up runs; medians; the ratio is the median of the pair-by-pair ratios.`,
  "",
  "| case | median | baseline | baseline median | ratio | target |",
  "| --- | ---: | --- | ---: | ---: | ---: |",
  ...rows.map(
    (r) =>
      `| ${r.label} | ${r.candidate.toFixed(0)} ms | ${r.baselineLabel} | ${r.baseline.toFixed(0)} ms | ${r.ratio.toFixed(2)}× | ${
        r.target === undefined ? "" : `≤ ${r.target}× ${r.ratio <= r.target ? "met" : "not met"}`
      } |`,
  ),
  "",
  ...notes.map((n) => `- ${n}`),
  "",
].join("\n");

process.stdout.write(`${table}\n`);
mkdirSync(path.join(repo, "bench"), { recursive: true });
writeFileSync(path.join(repo, "bench/results.md"), table);
rmSync(work, { recursive: true, force: true });
