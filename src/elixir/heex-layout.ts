// Lays out generated HEEx (the `~H"""` heredocs of LiveViews) the way
// Phoenix.LiveView.HTMLFormatter, the formatter plugin of every phx.new
// project, lays out a tag whose line would pass the line length: one
// attribute per line, indented two more than the tag, and the closing `>` or
// `/>` on its own line at the tag's indentation; an element's inline content
// moves to its own line between the opening and the closing tag. Lines that
// fit are left exactly as written (the templates already follow the layout).
//
// It handles the shapes generated templates use: a lone tag (`<.input ... />`,
// an opening `<.table ...>`), and an element with inline content on one line
// (`<.button navigate={...}>Cancel</.button>`). Anything else is left as it is.

/** One attribute: `name`, `name="..."`, `name={...}`, `{@rest}`; end index after it, or -1. */
function attributeEnd(s: string, i: number): number {
  let j = i;
  const braces = (k: number): number => {
    // A `{...}` expression: balanced braces, with Elixir strings inside skipped.
    let depth = 0;
    for (; k < s.length; k++) {
      const c = s[k];
      if (c === '"') {
        k++;
        while (k < s.length && s[k] !== '"') k += s[k] === "\\" ? 2 : 1;
      } else if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (depth === 0) return k + 1;
      }
    }
    return -1;
  };
  if (s[j] === "{") return braces(j);
  while (j < s.length && /[^\s=/>"{]/.test(s[j] as string)) j++;
  if (j === i) return -1;
  if (s[j] !== "=") return j;
  j++;
  if (s[j] === '"') {
    const close = s.indexOf('"', j + 1);
    return close === -1 ? -1 : close + 1;
  }
  if (s[j] === "{") return braces(j);
  return -1;
}

interface Tag {
  name: string;
  attributes: string[];
  /** `/>` or `>` */
  close: "/>" | ">";
  /** Index after the tag. */
  end: number;
}

/** The tag starting at s[i] === "<" (not a closing tag), or undefined. */
function readTag(s: string, i: number): Tag | undefined {
  const m = /^<([.:]?[A-Za-z][\w.:-]*)/.exec(s.slice(i));
  if (!m) return undefined;
  let j = i + m[0].length;
  const attributes: string[] = [];
  for (;;) {
    while (/\s/.test(s[j] ?? "")) j++;
    if (s.startsWith("/>", j)) return { name: m[1] as string, attributes, close: "/>", end: j + 2 };
    if (s[j] === ">") return { name: m[1] as string, attributes, close: ">", end: j + 1 };
    const end = attributeEnd(s, j);
    if (end === -1) return undefined;
    attributes.push(s.slice(j, end));
    j = end;
  }
}

function openTag(indent: string, tag: Tag, lineLength: number): string[] {
  const one = `${indent}<${tag.name}${tag.attributes.map((a) => ` ${a}`).join("")}${tag.close === "/>" ? " />" : ">"}`;
  if (one.length <= lineLength || tag.attributes.length === 0) return [one];
  return [`${indent}<${tag.name}`, ...tag.attributes.map((a) => `${indent}  ${a}`), `${indent}${tag.close}`];
}

/** The lines one too-long line becomes, or the line itself. */
function layoutLine(line: string, lineLength: number): string[] {
  if (line.length <= lineLength) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? "";
  const body = line.slice(indent.length);
  if (!body.startsWith("<") || body.startsWith("</")) return [line];
  const tag = readTag(body, 0);
  if (!tag) return [line];
  const rest = body.slice(tag.end);
  if (rest === "") return openTag(indent, tag, lineLength);
  // <name ...>inner</name> on one line: the inner part moves between the tags.
  const closing = `</${tag.name}>`;
  if (tag.close !== ">" || !rest.endsWith(closing)) return [line];
  const inner = rest.slice(0, -closing.length).trim();
  if (inner === "" || inner.includes(closing.slice(0, -1))) return [line];
  return [...openTag(indent, tag, lineLength), ...layoutLine(`${indent}  ${inner}`, lineLength), `${indent}${closing}`];
}

/** Every `~H"""` heredoc in an Elixir source, its over-long tag lines laid out as the HEEx formatter does. */
export function layoutHeex(source: string, lineLength = 98): string {
  return source.replace(/(~H"""\n)([\s\S]*?)(\n[ \t]*""")/g, (_whole, open: string, body: string, close: string) => {
    const lines = body.split("\n").flatMap((l) => layoutLine(l, lineLength));
    return `${open}${lines.join("\n")}${close}`;
  });
}
