// Escaping of user text for the Elixir context it lands in. Handlebars' HTML
// escaping is off for Elixir templates; these helpers are the only way user
// text reaches generated source. test/elixir/escape.test.ts evaluates their
// output with real Elixir and compares it with the input.

function escapeControl(ch: string): string {
  switch (ch) {
    case "\n":
      return "\\n";
    case "\t":
      return "\\t";
    case "\r":
      return "\\r";
    default:
      return `\\u{${(ch.codePointAt(0) as number).toString(16).toUpperCase()}}`;
  }
}

// C0 controls, DEL and C1 controls (keep generated files printable).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** An Elixir double-quoted string literal, quotes included. */
export function elixirString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "#" && text[i + 1] === "{") out += "\\#";
    else if (CONTROL.test(ch)) out += escapeControl(ch);
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The body of a `"""` heredoc: every line indented by `indent` spaces (blank
 * lines stay empty), with backslashes, interpolation and triple quotes made
 * literal. Trailing spaces are dropped from each line (formatters and credo
 * flag them).
 */
export function heredocBody(text: string, indent: number): string {
  const pad = " ".repeat(indent);
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => {
      let out = "";
      for (let i = 0; i < line.length; i++) {
        const ch = line[i] as string;
        if (ch === "\\") out += "\\\\";
        else if (ch === "#" && line[i + 1] === "{") out += "\\#";
        else if (ch === '"' && line.startsWith('"""', i)) out += '\\"';
        else if (CONTROL.test(ch)) out += escapeControl(ch);
        else out += ch;
      }
      out = out.replace(/[ ]+$/, "");
      return out === "" ? "" : pad + out;
    })
    .join("\n");
}

/** A line that ExUnit would run as a doctest if it appeared in a @moduledoc or @doc. */
export function looksLikeDoctest(text: string): boolean {
  return /^\s*(iex|\.\.\.)(\(\d+\))?>/m.test(text);
}
