// A structural check of HEEx in ~H sigils against function components'
// declarations (`attr`/`slot`), for code that cannot be compiled here: every
// component used exists, every attribute given is declared (or global), every
// required attribute is given, and slots are the component's own.

interface Component {
  attrs: Map<string, { required: boolean }>;
  /** attr :rest, :global: phx-*, aria-*, data-*, HTML globals and `include:`. */
  global: Set<string> | undefined;
  slots: Map<string, Slot>;
}

interface Slot {
  required: boolean;
  attrs: Map<string, { required: boolean }>;
}

const HTML_GLOBALS = new Set(["id", "class", "style", "title", "role", "hidden", "lang", "dir", "tabindex", "translate", "spellcheck", "draggable", "autofocus"]);
const SPECIAL = new Set([":let", ":if", ":for", ":key"]);

/** The components a module declares, keyed by name (prefixed, e.g. "Layouts.app" when given). */
export function componentsOf(source: string, prefix = "."): Map<string, Component> {
  const out = new Map<string, Component>();
  let pending: Component = { attrs: new Map(), global: undefined, slots: new Map() };
  let slot: Map<string, { required: boolean }> | undefined;
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    // Join continuation lines of a multi-line attr (options on the next lines).
    const open = (l: string): boolean => (l.match(/\(/g)?.length ?? 0) > (l.match(/\)/g)?.length ?? 0);
    while (/^\s+attr :\w+,/.test(line) && (/,$/.test(line) || open(line)) && i + 1 < lines.length) line += ` ${(lines[++i] ?? "").trim()}`;
    const attr = /^\s+attr :(\w+),\s*([^,\s]+)(.*)$/.exec(line);
    if (attr) {
      const [, name, type, rest] = attr as unknown as [string, string, string, string];
      const required = /required: true/.test(rest);
      if (slot) slot.set(name, { required });
      else if (type === ":global") {
        const include = /include: ~w\(([^)]*)\)/.exec(rest.replace(/\s+/g, " "));
        pending.global = new Set(include ? (include[1] as string).trim().split(/\s+/) : []);
      } else pending.attrs.set(name, { required });
      continue;
    }
    const slotLine = /^\s+slot :(\w+)(.*?)( do)?$/.exec(line);
    if (slotLine) {
      const s: Slot = { required: /required: true/.test(slotLine[2] as string), attrs: new Map() };
      pending.slots.set(slotLine[1] as string, s);
      slot = slotLine[3] ? s.attrs : undefined;
      continue;
    }
    if (slot && /^\s+end$/.test(line)) {
      slot = undefined;
      continue;
    }
    const def = /^\s+defp? (\w+)\(/.exec(line);
    if (def && (pending.attrs.size > 0 || pending.slots.size > 0 || pending.global)) {
      const key = `${prefix}${def[1]}`;
      if (!out.has(key)) out.set(key, pending);
      pending = { attrs: new Map(), global: undefined, slots: new Map() };
    }
  }
  return out;
}

interface Tag {
  name: string;
  attrs: string[];
  selfClosing: boolean;
  line: number;
}

/** Tags of components (`<.x`, `<Mod.x`) and slots (`<:x`), with their attribute names, and closing tags. */
export function tagsOf(heex: string): (Tag | { close: string })[] {
  const out: (Tag | { close: string })[] = [];
  let i = 0;
  while (i < heex.length) {
    const open = /<(\.[a-z_]\w*|[A-Z][\w.]*\.[a-z_]\w*|:[a-z_]\w*)/y;
    const close = /<\/(\.[a-z_]\w*|[A-Z][\w.]*\.[a-z_]\w*|:[a-z_]\w*)>/y;
    open.lastIndex = i;
    close.lastIndex = i;
    const c = close.exec(heex);
    if (c) {
      out.push({ close: c[1] as string });
      i = close.lastIndex;
      continue;
    }
    const m = open.exec(heex);
    if (!m) {
      i++;
      continue;
    }
    const line = heex.slice(0, i).split("\n").length;
    let j = open.lastIndex;
    const attrs: string[] = [];
    for (;;) {
      while (/\s/.test(heex[j] ?? "")) j++;
      if (heex.startsWith("/>", j)) {
        out.push({ name: m[1] as string, attrs, selfClosing: true, line });
        j += 2;
        break;
      }
      if (heex[j] === ">") {
        out.push({ name: m[1] as string, attrs, selfClosing: false, line });
        j++;
        break;
      }
      if (heex[j] === "{") {
        j = skipBraces(heex, j); // {@rest}
        continue;
      }
      const name = /[^\s=/>]+/y;
      name.lastIndex = j;
      const n = name.exec(heex);
      if (!n) throw new Error(`cannot read the tag at line ${line}`);
      attrs.push(n[0]);
      j = name.lastIndex;
      if (heex[j] === "=") {
        j++;
        if (heex[j] === '"') j = heex.indexOf('"', j + 1) + 1;
        else if (heex[j] === "{") j = skipBraces(heex, j);
      }
    }
    i = j;
  }
  return out;
}

function skipBraces(s: string, at: number): number {
  let depth = 0;
  for (let j = at; j < s.length; j++) {
    const ch = s[j];
    if (ch === '"') {
      // A string inside an expression: skip it (with escapes).
      for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === "\\") j++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return j + 1;
  }
  throw new Error("unbalanced braces in HEEx");
}

/** Problems with the HEEx in `source`'s ~H sigils, given the components it can use. */
export function checkHeex(source: string, components: Map<string, Component>, builtins: Set<string>): string[] {
  const problems: string[] = [];
  for (const m of source.matchAll(/~H"""\n([\s\S]*?)\n\s*"""/g)) {
    const heex = m[1] as string;
    const stack: { name: string; component: Component | undefined; slots: Set<string> }[] = [];
    for (const t of tagsOf(heex)) {
      if ("close" in t) {
        const top = stack.pop();
        if (!top || top.name !== t.close) problems.push(`</${t.close}> closes ${top ? `<${top.name}>` : "nothing"}`);
        else if (top.component) {
          for (const [name, slot] of top.component.slots) {
            if (slot.required && name !== "inner_block" && !top.slots.has(name)) problems.push(`<${top.name}> lacks its required slot :${name}`);
          }
        }
        continue;
      }
      if (t.name.startsWith(":")) {
        const parent = [...stack].reverse().find((s) => !s.name.startsWith(":"));
        const slots = parent?.component?.slots;
        const declared = slots?.get(t.name.slice(1));
        if (!declared) problems.push(`line ${t.line}: <${t.name}> is not a slot of <${parent?.name ?? "?"}>`);
        else {
          parent?.slots.add(t.name.slice(1));
          for (const a of t.attrs) if (!SPECIAL.has(a) && !declared.attrs.has(a)) problems.push(`line ${t.line}: <${t.name}> has no attr ${a}`);
          for (const [a, { required }] of declared.attrs) if (required && !t.attrs.includes(a)) problems.push(`line ${t.line}: <${t.name}> needs ${a}`);
        }
        if (!t.selfClosing) stack.push({ name: t.name, component: undefined, slots: new Set() });
        continue;
      }
      const c = components.get(t.name);
      if (!c) {
        if (!builtins.has(t.name)) problems.push(`line ${t.line}: <${t.name}> is not a known component`);
      } else {
        for (const a of t.attrs) {
          if (SPECIAL.has(a) || c.attrs.has(a)) continue;
          if (c.global && (/^(phx|data|aria)-/.test(a) || HTML_GLOBALS.has(a) || c.global.has(a))) continue;
          problems.push(`line ${t.line}: <${t.name}> has no attr ${a}`);
        }
        for (const [a, { required }] of c.attrs) if (required && !t.attrs.includes(a)) problems.push(`line ${t.line}: <${t.name}> needs ${a}`);
      }
      if (!t.selfClosing) stack.push({ name: t.name, component: c, slots: new Set() });
    }
    if (stack.length > 0) problems.push(`unclosed: ${stack.map((s) => `<${s.name}>`).join(", ")}`);
  }
  return problems;
}

/**
 * Lines of the ~H heredocs in an Elixir source that Phoenix.LiveView.HTMLFormatter
 * would lay out differently, as "line N: why": a line over the line length
 * (unless it is one attribute of a broken tag, or an expression with nothing
 * to break at, which the formatter leaves as they are), and a broken tag that is not one attribute per line between `<name`
 * and a `>` or `/>` line at the tag's indentation. Independent of the code
 * that lays the HEEx out.
 */
export function heexLayoutProblems(source: string, lineLength = 98): string[] {
  const problems: string[] = [];
  const lines = source.split("\n");
  let inHeex = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!inHeex) {
      if (/~H"""$/.test(line)) inHeex = true;
      continue;
    }
    if (/^\s*"""$/.test(line)) {
      inHeex = false;
      continue;
    }
    const open = /^(\s*)<([.:]?[A-Za-z][\w.:-]*)(.*)$/.exec(line);
    const closesHere = open ? /\/?>/.test(open[3] as string) : true;
    if (open && !closesHere) {
      const indent = open[1] as string;
      if ((open[3] as string).trim() !== "") problems.push(`line ${i + 1}: <${open[2]} breaks with attributes still on its first line`);
      // One attribute per line at indent + 2, then `>` or `/>` alone at the tag's indentation.
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j] as string;
        if (l === `${indent}>` || l === `${indent}/>`) break;
        if (!l.startsWith(`${indent}  `) || /^\s/.test(l.slice(indent.length + 2))) {
          problems.push(`line ${j + 1}: an attribute of <${open[2]}> not on its own line at indentation ${indent.length + 2}`);
          break;
        }
      }
      if (j >= lines.length) problems.push(`line ${i + 1}: <${open[2]} is never closed`);
      i = j;
      continue;
    }
    // An expression with nothing to break at (`{post.a_very_long_field_name}`) stays as it is.
    const unbreakable = /^\s*\{[^\s{}]+\}$/.test(line);
    if (line.length > lineLength && !unbreakable) problems.push(`line ${i + 1}: ${line.length} columns, over ${lineLength}: ${line.trim().slice(0, 40)}…`);
  }
  return problems;
}
