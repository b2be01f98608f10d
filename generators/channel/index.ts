// gen channel NAME: a Phoenix channel, its test, and the wiring: the socket
// (created when the app has none) in the endpoint, the channel in the socket.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { Scan } from "../../src/elixir/lexer.js";
import { underscore } from "../../src/elixir/naming.js";
import { moduleField, projectPlan, render, requireProject } from "../_shared/otp.js";
import { requirePhoenix } from "../_shared/phoenix.js";

export const schema = z.object({
  name: moduleField("Channel name, e.g. Room (becomes AppWeb.RoomChannel)", "Channel name"),
  topic: z
    .string()
    .regex(/^[a-z0-9_:.-]+(\*)?$/, 'a topic pattern is lowercase letters, digits and _ : . -, optionally ending in * (e.g. "room:*")')
    .optional()
    .describe('The topic pattern the channel serves (default: the name in snake_case, then ":*")')
    .meta({ prompt: false, valueName: "pattern" }),
});

export default defineGenerator({
  name: "channel",
  description: "A Phoenix channel with its test; the socket is added to the endpoint and the channel to the socket",
  examples: ["gen channel Room", 'gen channel Chat.Lobby --topic "lobby:*"'],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const { web, webPath } = requirePhoenix(project, "channel");
    const base = o.name.endsWith("Channel") ? o.name.slice(0, -"Channel".length) : o.name;
    if (base === "") throw new UserError(`invalid <name> "${o.name}": name the channel, e.g. Room`);
    const module = `${web}.${base}Channel`;
    // Phoenix keeps channels under lib/<app>_web/channels/.
    const rel = `channels/${underscore(`${base}Channel`)}`;
    const file = `lib/${webPath}/${rel}.ex`;
    const testFile = `test/${webPath}/${rel}_test.exs`;
    const topic = o.topic ?? `${underscore(base.split(".").pop() as string)}:*`;
    const socket = `${web}.UserSocket`;
    const socketFile = `lib/${webPath}/channels/user_socket.ex`;
    const endpointFile = `lib/${webPath}/endpoint.ex`;
    const has = (f: string): boolean => existsSync(path.join(project.root, f));
    const binding = {
      app: project.app,
      module,
      prefix: project.module,
      web,
      socket,
      topic,
      joinTopic: topic.endsWith("*") ? `${topic.slice(0, -1)}lobby` : topic,
      topicPrefix: topic.endsWith("*") ? topic.slice(0, -1) : topic,
      wildcard: topic.endsWith("*"),
      dataCase: has("test/support/data_case.ex") ? `${project.module}.DataCase` : false,
    };
    const actions: PlanAction[] = [
      render("channel", "lib/module_channel.ex", file),
      render("channel", "test/module_channel_test.exs", testFile),
    ];
    if (!has("test/support/channel_case.ex")) actions.push(render("channel", "test/support/channel_case.ex", "test/support/channel_case.ex"));
    const channelLine = `  channel "${topic}", ${module}\n`;
    if (has(socketFile)) {
      actions.push(patchLines(socketFile, `add a channel line to ${socket}, after use Phoenix.Socket`, channelLine, (src) => {
        if (src.includes(channelLine)) return src;
        const code = new Scan(src).codeOnly();
        // In the code-only view strings are blanked: match the keyword, not the quote.
        const lastChannel = [...code.matchAll(/^ {2}channel\s[^\n]*\n/gm)].pop();
        if (lastChannel) return insertAt(src, lastChannel.index + lastChannel[0].length, channelLine);
        const use = /^ {2}use Phoenix\.Socket\n/m.exec(code);
        return use ? insertAt(src, use.index + use[0].length, `\n${channelLine}`) : undefined;
      }));
    } else {
      actions.push(
        render("channel", "lib/user_socket.ex", socketFile),
        render("channel", "test/user_socket_test.exs", `test/${webPath}/channels/user_socket_test.exs`),
      );
    }
    const socketLine = `  socket "/socket", ${socket},\n    websocket: true,\n    longpoll: false\n\n`;
    actions.push(patchLines(endpointFile, `serve ${socket} at /socket, before the endpoint's plugs`, socketLine, (src) => {
      if (new RegExp(`socket "[^"]*", ${socket.replace(/\./g, "\\.")}\\b`).test(src)) return src;
      const code = new Scan(src).codeOnly();
      const at = /^ {2}socket\s/m.exec(code) ?? /^ {2}plug\s/m.exec(code);
      return at ? insertAt(src, at.index, socketLine) : undefined;
    }));
    return projectPlan(project, binding, actions, [
      `mix test ${testFile}`,
      has(socketFile)
        ? `${module} admits sockets whose assigns carry :user_id; make ${socket}.connect/3 assign it (or change authorized?/2)`
        : `sign a token for the client: Phoenix.Token.sign(${web}.Endpoint, "user socket", user.id) (see ${socket}'s @moduledoc)`,
      `join "${binding.joinTopic}" from the client (assets/js)`,
    ]);
  },
});

function insertAt(src: string, at: number, text: string): string {
  return `${src.slice(0, at)}${text}${src.slice(at)}`;
}

/** A patch by a function returning the new source, or undefined when the shape is not one to patch safely. */
export function patchLines(file: string, describe: string, snippet: string, change: (src: string) => string | undefined): PatchAction {
  return {
    type: "otp:patch",
    path: file,
    describe,
    patch(source) {
      const out = source === undefined ? undefined : change(source);
      return out === undefined ? { manual: `${file}: ${describe}; add this by hand:\n${snippet.replace(/\n+$/, "")}` } : { source: out };
    },
  };
}
