// Gives a struct module a `t()` type, so that specs elsewhere can name it
// (`Scope.t()`) instead of a struct literal (`%Scope{}`), which credo's
// SpecWithStruct reports because it makes a compile-time dependency. By
// syntax: the module by name, its own `defstruct` and `@type t`. Pure: source
// in; new source, already there, or a refusal with the snippet out.
import type { PatchResult } from "./children.js";
import { elixirString } from "./escape.js";
import { callName, codeChildren, modules, parse } from "./reader.js";

export function addStructType(source: string, module: string, typedoc: string): PatchResult {
  const lines = [`@typedoc ${elixirString(typedoc)}`, "@type t :: %__MODULE__{}"];
  const snippet = lines.join("\n    ");
  const refuse = (reason: string): PatchResult => ({ status: "refused", reason, snippet });
  const tree = parse(source);
  if (tree.rootNode.hasError) return refuse("it does not parse as Elixir");
  const body = modules(tree.rootNode).find((m) => m.name === module)?.body;
  if (!body) return refuse(`no defmodule ${module} in it`);
  const kids = codeChildren(body);
  const typed = kids.some((n) => n.type === "unary_operator" && /^@type\s+t\b/.test(n.text));
  if (typed) return { status: "present", source };
  const struct = kids.find((n) => callName(n) === "defstruct");
  if (!struct) return refuse(`${module} has no defstruct`);
  const lineStart = source.lastIndexOf("\n", struct.startIndex - 1) + 1;
  const indent = source.slice(lineStart, struct.startIndex);
  const text = `${lines.map((l) => indent + l).join("\n")}\n\n`;
  return { status: "added", source: source.slice(0, lineStart) + text + source.slice(lineStart) };
}
