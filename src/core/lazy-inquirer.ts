// Stand-in for the `inquirer` module that node-plop imports, used only in the
// bundled CLI (scripts/build.mjs): node-plop needs inquirer solely to run plop
// prompts, which the engine does through its own prompter, yet importing it
// loads inquirer v9, rxjs and iconv-lite at every start. This loads the real
// module on first use instead.
type Inquirer = {
  registerPrompt(name: string, prompt: unknown): void;
  prompt: ((questions: unknown, answers?: unknown) => Promise<unknown>) & { prompts?: Record<string, unknown> };
};

let real: Promise<Inquirer> | undefined;
const load = (): Promise<Inquirer> => (real ??= import("inquirer").then((m) => m.default as unknown as Inquirer));

const prompt = Object.assign((questions: unknown, answers?: unknown) => load().then((i) => i.prompt(questions, answers)), {
  /** The prompt types plop's bypass logic looks up; filled in once the real module is loaded. */
  prompts: {} as Record<string, unknown>,
});

export default {
  registerPrompt(name: string, p: unknown): void {
    void load().then((i) => {
      i.registerPrompt(name, p);
      Object.assign(prompt.prompts, i.prompt.prompts ?? {});
    });
  },
  prompt,
};
