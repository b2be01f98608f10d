// The Elixir reader alone, outside the CLI: web-tree-sitter and the
// tree-sitter-elixir grammar loaded with the CLI's V8 flags, then a project's
// mix.exs and application.ex parsed. npm run bench measures it against Node's
// own start: the floor under any command that reads Elixir (a generator run
// reads both files before it writes anything). Its JavaScript is compiled at
// each start (the CLI's comes from its code cache), so it is a little slower
// than the same work inside the CLI.
// Usage: node bench/reader-floor.cjs <the installed package's dist/> <project>
const v8 = require("node:v8");
for (const flag of ["--liftoff-only", "--wasm-lazy-compilation", "--wasm-lazy-validation"]) v8.setFlagsFromString(flag);
const fs = require("node:fs");
const path = require("node:path");
const { Parser, Language } = require("web-tree-sitter");

async function main([dist, project]) {
  await Parser.init({ wasmBinary: fs.readFileSync(path.join(dist, "tree-sitter.wasm")) });
  const parser = new Parser();
  parser.setLanguage(await Language.load(fs.readFileSync(path.join(dist, "tree-sitter-elixir.wasm"))));
  const app = fs.readdirSync(path.join(project, "lib")).find((d) => fs.existsSync(path.join(project, "lib", d, "application.ex")));
  for (const file of ["mix.exs", `lib/${app}/application.ex`]) {
    if (parser.parse(fs.readFileSync(path.join(project, file), "utf8"))?.rootNode.hasError) throw new Error(`${file}: not parsed`);
  }
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
