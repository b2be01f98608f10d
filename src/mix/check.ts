// The check pipeline: mix format, compile --warnings-as-errors and credo on
// the written files, in one BEAM (src/mix/check.exs). A missing tool or
// dependency is reported as skipped with the command that fixes it; it is
// never reported as a broken generated file.
import path from "node:path";
import type { Io } from "../core/io.js";
import { packageRoot } from "../core/paths.js";

export type StepName = "format" | "deps" | "compile" | "credo";
export type StepStatus = "passed" | "failed" | "skipped";

export interface Problem {
  file: string;
  line: number;
  message: string;
}

export interface StepResult {
  step: StepName;
  status: StepStatus;
  ms: number;
  detail: string;
  problems: Problem[];
}

export interface CheckHooks {
  onBegin?(step: StepName): void;
  onEnd?(result: StepResult): void;
}

const STEPS: StepName[] = ["format", "deps", "compile", "credo"];
const MARK = "@@otpgen\t";

const INSTALL_ELIXIR = "mix was not found on PATH; install Elixir (https://elixir-lang.org/install.html), then run: mix compile";
const INSTALL_HEX =
  "Hex is not installed, so the project's dependencies cannot be resolved; run: mix local.hex --force && mix deps.get";

/** file:line problems named in compiler output (Elixir 1.14 and 1.15+ layouts). */
export function parseProblems(lines: string[], files: readonly string[]): Problem[] {
  const known = new Set(files);
  const problems: Problem[] = [];
  let message = "";
  for (const raw of lines) {
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
    // Stack-trace entries point into Elixir itself: "(elixir 1.14.0) lib/kernel/...".
    if (/^\s*\([\w]+ [\d.]+\) /.test(line)) continue;
    const head = /^\s*(?:\*\* \((\w+)\)\s*|(warning|error):\s*)(.*)$/.exec(line);
    if (head) message = (head[1] ? `${head[1]}: ` : `${head[2]}: `) + (head[3] ?? "");
    const loc = /((?:[\w.\-]+\/)*[\w.\-]+\.exs?):(\d+)/.exec(line);
    if (!loc) continue;
    const file = loc[1] as string;
    if (known.size > 0 && !known.has(file) && !file.startsWith("lib/") && !file.startsWith("test/")) continue;
    const lineNo = Number(loc[2]);
    if (problems.some((p) => p.file === file && p.line === lineNo)) continue;
    // An error line that carries its own location ("** (SyntaxError) lib/x.ex:4:3: ...").
    const text = head ? (head[3] ?? "").replace(loc[0], "").replace(/^[:\d\s]+/, "") : message;
    problems.push({ file, line: lineNo, message: (text || message).trim() });
  }
  return problems;
}

/**
 * credo --format flycheck: `lib/x.ex:12:5: R: Modules should have a @moduledoc tag.`
 * Each finding keeps credo's category letter, as its own report shows it:
 * `[R] Modules should have a @moduledoc tag.`
 */
export function parseCredo(lines: string[]): Problem[] {
  return lines.flatMap((raw) => {
    const l = raw.replace(/\x1b\[[0-9;]*m/g, "");
    const m = /^(.+?\.exs?):(\d+)(?::\d+)?: ([A-Z]): (.*)$/.exec(l);
    return m ? [{ file: m[1] as string, line: Number(m[2]), message: `[${m[3]}] ${m[4]}` }] : [];
  });
}

/** The credo step's result, whether credo exited (caught by check.exs) or halted the VM. */
function credoFailure(lines: string[], ms: number): StepResult {
  const problems = parseCredo(lines);
  const n = problems.length;
  return { step: "credo", status: "failed", ms, detail: `credo --strict reported ${n || "some"} issue${n === 1 ? "" : "s"}`, problems };
}

export async function runChecks(root: string, files: readonly string[], io: Io, hooks: CheckHooks = {}): Promise<StepResult[]> {
  const script = path.join(packageRoot(), "src", "mix", "check.exs");
  const results: StepResult[] = [];
  const stepLines: string[] = [];
  let current: StepName | undefined;
  const startedAt = Date.now();

  const finish = (r: StepResult): void => {
    results.push(r);
    hooks.onEnd?.(r);
  };

  const run = await io.mix.run("mix", ["run", "--no-compile", "--no-start", "--no-deps-check", script, ...files], {
    cwd: root,
    env: io.env,
    onLine(line) {
      if (!line.startsWith(MARK)) {
        if (current) stepLines.push(line);
        return;
      }
      const [, kind, step, status, ms, ...detail] = line.split("\t");
      if (kind === "begin") {
        current = step as StepName;
        stepLines.length = 0;
        hooks.onBegin?.(current);
      } else if (kind === "end") {
        const name = step as StepName;
        // A failure's location may be in its output or only in its message (e.g. a SyntaxError from mix format).
        const text = detail.join("\t");
        if (name === "credo" && status === "failed" && parseCredo(stepLines).length > 0) {
          // credo exited with its findings (caught by check.exs): its own format, not the compiler's.
          finish(credoFailure(stepLines, Number(ms)));
        } else {
          const problems = status === "failed" ? parseProblems([...stepLines, text], files) : [];
          finish({ step: name, status: status as StepStatus, ms: Number(ms), detail: text, problems });
        }
        current = undefined;
      }
    },
  });

  if (run.notFound) {
    return STEPS.map((step) => ({ step, status: "skipped", ms: 0, detail: INSTALL_ELIXIR, problems: [] }));
  }

  if (current === "credo" && run.exitCode === 0) {
    // credo halted the VM itself after a clean run.
    finish({ step: "credo", status: "passed", ms: Date.now() - startedAt, detail: "", problems: [] });
  } else if (current === "credo" && run.exitCode !== 0) {
    // credo halts the VM when it reports issues.
    finish(credoFailure(stepLines, Date.now() - startedAt));
  } else if (results.length === 0 && /Could not find Hex|Could not find an SCM for dependency/.test(run.output)) {
    // Mix cannot even load the project's deps without Hex; mix format still works alone.
    hooks.onBegin?.("format");
    const started = Date.now();
    const elixirFiles = files.filter((f) => /\.exs?$/.test(f));
    let fmt = await io.mix.run("mix", ["format", ...elixirFiles], { cwd: root, env: io.env });
    let detail = "";
    if (fmt.exitCode !== 0 && /Could not find an SCM|import_deps|Unknown dependency/.test(fmt.output)) {
      // .formatter.exs imports deps Mix cannot load without Hex: formatted without their rules.
      const fallback = path.join(packageRoot(), "src", "mix", "format_fallback.exs");
      fmt = await io.mix.run("elixir", ["-r", fallback, "-e", "OtpgenFormatFallback.main(System.argv())", ...elixirFiles], { cwd: root, env: io.env });
      detail = fmt.exitCode === 0 ? fmt.output.trim().split("\n").pop() ?? "" : "";
    }
    const fmtLines = fmt.output.split("\n");
    finish({
      step: "format",
      status: fmt.exitCode === 0 ? "passed" : "failed",
      ms: Date.now() - started,
      detail: fmt.exitCode === 0 ? detail : (fmtLines.find((l) => l.includes("**")) ?? "mix format failed").trim(),
      problems: fmt.exitCode === 0 ? [] : parseProblems(fmtLines, files),
    });
    for (const step of ["deps", "compile", "credo"] as const) {
      finish({ step, status: "skipped", ms: 0, detail: INSTALL_HEX, problems: [] });
    }
  } else if (current !== undefined || results.length < STEPS.length) {
    // The BEAM stopped before finishing (e.g. mix.exs itself does not compile).
    const lines = current ? stepLines : run.output.split("\n");
    const problems = parseProblems(lines, [...files, "mix.exs"]);
    const first = lines.find((l) => /\*\*|error/.test(l))?.trim() ?? `mix exited with status ${run.exitCode}`;
    for (const step of STEPS.filter((s) => !results.some((r) => r.step === s))) {
      const failedHere = step === (current ?? "format");
      finish({
        step,
        status: failedHere ? "failed" : "skipped",
        ms: 0,
        detail: failedHere ? first : "not run: an earlier step stopped mix",
        problems: failedHere ? problems : [],
      });
    }
  }
  return STEPS.map((s) => results.find((r) => r.step === s) as StepResult);
}
