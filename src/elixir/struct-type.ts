// Gives a struct module a `t()` type, so that specs elsewhere can name it
// (`Scope.t()`) instead of a struct literal (`%Scope{}`), which credo's
// SpecWithStruct reports because it makes a compile-time dependency. Pure:
// source in; new source, already there, or a refusal with the snippet out.
import type { PatchResult } from "./children.js";
import { Scan } from "./lexer.js";

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function addStructType(source: string, module: string, typedoc: string): PatchResult {
  const snippet = `@typedoc ${JSON.stringify(typedoc)}\n    @type t :: %__MODULE__{}`;
  const refuse = (reason: string): PatchResult => ({ status: "refused", reason, snippet });
  const code = new Scan(source).codeOnly();
  const head = new RegExp(`^[ \\t]*defmodule\\s+${escape(module)}\\s+do\\b`, "m").exec(code);
  if (!head) return refuse(`no defmodule ${module} in it`);
  // The module's own part of the file: up to the next defmodule at the same or a lesser indentation.
  const next = /^[ \t]*defmodule\s/m.exec(code.slice(head.index + head[0].length));
  const body = code.slice(head.index, next ? head.index + head[0].length + next.index : code.length);
  if (/^\s*@type\s+t\s*(\(\s*\))?\s*::/m.test(body)) return { status: "present", source };
  const struct = /^([ \t]*)defstruct\b/m.exec(body);
  if (!struct) return refuse(`${module} has no defstruct`);
  const indent = struct[1] as string;
  const at = head.index + struct.index;
  const text = `${indent}@typedoc ${JSON.stringify(typedoc)}\n${indent}@type t :: %__MODULE__{}\n\n`;
  return { status: "added", source: source.slice(0, at) + text + source.slice(at) };
}
