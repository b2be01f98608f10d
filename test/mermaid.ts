// Mermaid's own parser (the npm package GitHub and ExDoc render with), run in
// Node on a jsdom window, to check generated diagrams.
import { JSDOM } from "jsdom";

let mermaid: Promise<{ parse(text: string): Promise<unknown> }> | undefined;

/** Parse `text` as Mermaid: its diagram type, or the parser's error. */
export async function parseMermaid(text: string): Promise<{ ok: true; type: string } | { ok: false; error: string }> {
  mermaid ??= (async () => {
    const { window } = new JSDOM("");
    Object.assign(globalThis, { window, document: window.document });
    return (await import("mermaid")).default as unknown as { parse(text: string): Promise<unknown> };
  })();
  try {
    const r = (await (await mermaid).parse(text)) as { diagramType: string };
    return { ok: true, type: r.diagramType };
  } catch (err) {
    return { ok: false, error: (err as Error).message.split("\n").slice(0, 3).join(" ") };
  }
}
