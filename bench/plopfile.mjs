// The peer: a one-file plop generator, to measure plop's own start-up.
export default function (plop) {
  plop.setGenerator("module", {
    description: "an Elixir module",
    prompts: [{ type: "input", name: "name", message: "Module name" }],
    actions: [
      {
        type: "add",
        path: "lib/{{snakeCase name}}.ex",
        template: "defmodule {{pascalCase name}} do\n  @moduledoc false\nend\n",
      },
    ],
  });
}
