// gen channel NAME: a Phoenix channel, its test, and the wiring: the socket
// (created when the app has none) in the endpoint, the channel in the socket.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { addChannel, addSocket, sessionAuth, socketAt, usesAttribute } from "../../src/elixir/phoenix.js";
import { fileDefining } from "../../src/elixir/project.js";
import { loadReader, modules, parse } from "../../src/elixir/reader.js";
import { camelize, underscore } from "../../src/elixir/naming.js";
import { moduleField, patchWith, projectPlan, render, requireProject } from "../_shared/otp.js";
import { requirePhoenix } from "../_shared/phoenix.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: moduleField("Channel name, e.g. Room (becomes AppWeb.RoomChannel)", "Channel name"),
  topic: z
    .string()
    .regex(/^[a-z0-9_:.-]+(\*)?$/, 'a topic pattern is lowercase letters, digits and _ : . -, optionally ending in * (e.g. "room:*")')
    .optional()
    .describe('The topic pattern the channel serves (default: the name in snake_case, then ":*")')
    .meta({ prompt: 'Topic pattern (e.g. "room:*")', valueName: "pattern" }),
});

/** The channel's name in snake_case, then ":*": Room -> "room:*", Chat.LobbyChannel -> "lobby:*". */
const defaultTopic = (name: string): string => {
  const base = name.endsWith("Channel") ? name.slice(0, -"Channel".length) : name;
  return `${underscore(base.split(".").pop() as string)}:*`;
};

export default defineGenerator({
  name: "channel",
  description: DESCRIPTIONS.channel,
  examples: ["gen channel Room", 'gen channel Chat.Lobby --topic "lobby:*"'],
  schema,
  needsProject: true,
  derive: (v) => (typeof v.name === "string" ? { topic: defaultTopic(v.name) } : {}),
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const { web, webPath, domain } = requirePhoenix(project, "channel");
    const prefix = domain.project.module;
    const base = o.name.endsWith("Channel") ? o.name.slice(0, -"Channel".length) : o.name;
    if (base === "") throw new UserError(`invalid <name> "${o.name}": name the channel, e.g. Room`);
    const module = `${web}.${base}Channel`;
    // Phoenix keeps channels under lib/<app>_web/channels/.
    const rel = `channels/${underscore(`${base}Channel`)}`;
    const file = `lib/${webPath}/${rel}.ex`;
    const testFile = `test/${webPath}/${rel}_test.exs`;
    const topic = o.topic ?? defaultTopic(o.name);
    const endpointFile = `lib/${webPath}/endpoint.ex`;
    const has = (f: string): boolean => existsSync(path.join(project.root, f));
    // A socket the endpoint already serves at /socket, in any spelling and under any name, is the one to use.
    await loadReader();
    const endpointSource = has(endpointFile) ? readFileSync(path.join(project.root, endpointFile), "utf8") : undefined;
    const served = endpointSource ? socketAt(endpointSource, "/socket") : undefined;
    const socket = served?.module ?? `${web}.UserSocket`;
    const socketFile = served ? fileDefining(project.root, socket) : `lib/${webPath}/channels/user_socket.ex`;
    // A new socket in a phx.gen.auth app belongs to the login session (revoked at log-out); elsewhere a signed user id.
    const session = served ? undefined : sessionBinding(project.root, domain.project.root, prefix, web, endpointSource);
    const binding = {
      session,
      app: project.app,
      module,
      prefix,
      web,
      socket,
      topic,
      joinTopic: topic.endsWith("*") ? `${topic.slice(0, -1)}lobby` : topic,
      topicPrefix: topic.endsWith("*") ? topic.slice(0, -1) : topic,
      wildcard: topic.endsWith("*"),
      dataCase: existsSync(path.join(domain.project.root, "test/support/data_case.ex")) ? `${prefix}.DataCase` : false,
    };
    const actions: PlanAction[] = [
      render("channel", "lib/module_channel.ex", file),
      render("channel", "test/module_channel_test.exs", testFile),
    ];
    if (!has("test/support/channel_case.ex")) actions.push(render("channel", "test/support/channel_case.ex", "test/support/channel_case.ex"));
    const channelLine = `channel "${topic}", ${module}`;
    if (socketFile === undefined) {
      actions.push(manualStep(`the endpoint serves ${socket} at /socket, which no file under lib/ defines: add to it:\n    ${channelLine}`));
    } else if (has(socketFile)) {
      actions.push(patchWith(socketFile, `add a channel line to ${socket}`, (src) => addChannel(src, socket, topic, module)));
    } else {
      actions.push(
        render("channel", "lib/user_socket.ex", socketFile),
        render("channel", "test/user_socket_test.exs", `test/${webPath}/channels/user_socket_test.exs`),
      );
    }
    if (!served) {
      const websocket = session ? "[connect_info: [session: @session_options]]" : "true";
      const socketLines = `  socket "/socket", ${socket},\n    websocket: ${websocket},\n    longpoll: false\n\n`;
      actions.push(patchWith(endpointFile, `serve ${socket} at /socket, before the endpoint's plugs`, (src) => addSocket(src, "/socket", socketLines)));
    }
    return projectPlan(project, binding, actions, [
      `mix test ${testFile}`,
      socketFile === undefined || has(socketFile)
        ? `${module} admits sockets whose assigns carry :user_id; make ${socket}.connect/3 assign it (or change authorized?/2)`
        : session
          ? `connect from assets/js with the page's CSRF token, new Socket("/socket", {params: {_csrf_token: csrfToken}}): the socket belongs to the login session (see ${socket}'s @moduledoc)`
          : `sign a token for the client: Phoenix.Token.sign(${web}.Endpoint, "user socket", user.id) (see ${socket}'s @moduledoc)`,
      `join "${binding.joinTopic}" from the client (assets/js)`,
    ]);
  },
});

/** A step that can only be done by hand, reported as such. */
function manualStep(text: string): PatchAction {
  return { type: "otp:patch", path: "mix.exs", describe: text, patch: () => ({ manual: text }) };
}

/**
 * What the socket needs to belong to phx.gen.auth's login session: its
 * UserAuth read by the syntax reader, the endpoint's `@session_options`, and
 * the accounts fixtures and token schema its test uses (under `domainRoot`:
 * the umbrella's domain app, or the app itself). Undefined when any is
 * missing: the socket then keeps a signed user id.
 */
function sessionBinding(root: string, domainRoot: string, prefix: string, web: string, endpointSource: string | undefined) {
  const userAuth = `${web}.UserAuth`;
  const userAuthFile = fileDefining(root, userAuth);
  if (!userAuthFile || !endpointSource || !usesAttribute(endpointSource, "session_options")) return undefined;
  const auth = sessionAuth(readFileSync(path.join(root, userAuthFile), "utf8"));
  if (!auth) return undefined;
  const accounts = auth.accounts.includes(".") ? auth.accounts : `${prefix}.${auth.accounts}`;
  const fixtures = `${accounts}Fixtures`;
  const tokenSchema = `${accounts}.${camelize(auth.singular)}Token`;
  const last = (m: string): string => m.split(".").pop() as string;
  // phx.gen.auth writes the fixtures under test/support/fixtures/.
  const fixturesFile = path.join(domainRoot, "test/support/fixtures", `${underscore(last(accounts))}_fixtures.ex`);
  const definesFixtures = existsSync(fixturesFile) && modules(parse(readFileSync(fixturesFile, "utf8")).rootNode).some((m) => m.name === fixtures);
  if (!fileDefining(domainRoot, tokenSchema) || !definesFixtures) return undefined;
  return {
    ...auth,
    accounts,
    accountsAlias: last(accounts),
    fixtures,
    tokenSchema,
    repo: `${prefix}.Repo`,
    userAuth,
    userAuthAlias: last(userAuth),
  };
}
