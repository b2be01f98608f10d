// A small Elixir scanner: classifies every character of a source as code,
// string-like (strings, charlists, heredocs, sigils, quoted atoms, char
// literals) or comment, so patchers can find brackets and names in code only.
// Interpolation inside strings is scanned as code, so `"#{"]"}"` is handled.

export const CODE = 0;
export const TEXT = 1;
export const COMMENT = 2;

const PAIRS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "<": ">" };
const isIdent = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_!?]/.test(c);

export class Scan {
  readonly kinds: Uint8Array;
  constructor(readonly source: string) {
    this.kinds = new Uint8Array(source.length);
    this.code(0, false);
  }

  isCode(i: number): boolean {
    return this.kinds[i] === CODE;
  }

  isComment(i: number): boolean {
    return this.kinds[i] === COMMENT;
  }

  /** Source with strings and comments blanked out (same length): safe to search. */
  codeOnly(from = 0, to = this.source.length): string {
    let out = "";
    for (let i = from; i < to; i++) {
      const ch = this.source[i] as string;
      out += this.kinds[i] === CODE || ch === "\n" ? ch : " ";
    }
    return out;
  }

  /** Index of the bracket closing the one at `open`, or -1. */
  matching(open: number): number {
    let depth = 0;
    for (let i = open; i < this.source.length; i++) {
      if (!this.isCode(i)) continue;
      const ch = this.source[i] as string;
      if (ch === "(" || ch === "[" || ch === "{") depth++;
      else if (ch === ")" || ch === "]" || ch === "}") {
        depth--;
        if (depth === 0) return i;
      }
    }
    return -1;
  }

  private mark(from: number, to: number, kind: number): void {
    this.kinds.fill(kind, from, Math.min(to, this.source.length));
  }

  /** Scan code from i; with `untilBrace`, stop after the `}` closing an interpolation. */
  private code(i: number, untilBrace: boolean): number {
    const s = this.source;
    let depth = 0;
    while (i < s.length) {
      const ch = s[i] as string;
      if (ch === "#") {
        const eol = s.indexOf("\n", i);
        const end = eol === -1 ? s.length : eol;
        this.mark(i, end, COMMENT);
        i = end;
      } else if (ch === '"' || ch === "'") {
        i = this.quoted(i, ch, true);
      } else if (ch === "?" && !isIdent(s[i - 1]) && i + 1 < s.length) {
        // Char literal: ?a ?\n ?[
        const len = s[i + 1] === "\\" ? 3 : 2;
        this.mark(i, i + len, TEXT);
        i += len;
      } else if (ch === "~" && /[a-zA-Z]/.test(s[i + 1] ?? "")) {
        i = this.sigil(i);
      } else if (ch === ":" && s[i + 1] === '"' && s[i - 1] !== ":") {
        this.mark(i, i + 1, TEXT);
        i = this.quoted(i + 1, '"', true);
      } else {
        if (untilBrace) {
          if (ch === "{") depth++;
          else if (ch === "}") {
            if (depth === 0) return i + 1;
            depth--;
          }
        }
        i++;
      }
    }
    return i;
  }

  /** A string or charlist (or heredoc) starting at i; returns the index after it. */
  private quoted(i: number, q: string, interpolates: boolean): number {
    const s = this.source;
    const start = i;
    if (s.startsWith(q.repeat(3), i)) {
      // Heredoc: ends at a line whose first non-blank characters are the delimiter.
      const re = new RegExp(`\\n[ \\t]*${q === '"' ? '"""' : "'''"}`, "g");
      re.lastIndex = i + 3;
      const m = re.exec(s);
      const end = m ? m.index + m[0].length : s.length;
      this.mark(start, end, TEXT);
      return end;
    }
    i++;
    while (i < s.length && s[i] !== q) {
      if (s[i] === "\\") i += 2;
      else if (interpolates && s[i] === "#" && s[i + 1] === "{") {
        // Scanned as code only to find where the interpolation (and its own strings) end.
        i = this.code(i + 2, true);
      } else i++;
    }
    this.mark(start, i + 1, TEXT);
    return i + 1;
  }

  private sigil(i: number): number {
    const s = this.source;
    let j = i + 1;
    while (/[a-zA-Z]/.test(s[j] ?? "")) j++;
    const open = s[j];
    if (open === undefined) return j;
    const lower = /[a-z]/.test(s[i + 1] as string);
    if ((open === '"' || open === "'") && s.startsWith(open.repeat(3), j)) {
      const end = this.quoted(j, open, lower);
      this.mark(i, j, TEXT);
      return this.modifiers(end);
    }
    const close = PAIRS[open] ?? open;
    let k = j + 1;
    let depth = 0;
    while (k < s.length) {
      const c = s[k] as string;
      if (c === "\\") {
        k += 2;
        continue;
      }
      if (close !== open && c === open) depth++;
      else if (c === close) {
        if (depth === 0) break;
        depth--;
      }
      k++;
    }
    this.mark(i, k + 1, TEXT);
    return this.modifiers(k + 1);
  }

  private modifiers(i: number): number {
    let k = i;
    while (/[a-zA-Z]/.test(this.source[k] ?? "")) k++;
    this.mark(i, k, TEXT);
    return k;
  }
}
