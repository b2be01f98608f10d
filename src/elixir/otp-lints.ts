// OTP lints for `gen doctor`, read from source: mistakes in the supervision
// tree (start order, duplicate ids, strategies) and in the code around it
// (deprecated calls, blocking init/1). Each finding has its file and line,
// the rule, why it matters and the fix. Needs `loadReader()` first.
import { callArgs, callName, callReceiver, findAll, findCalls, functions, modules, parse, type Node } from "./reader.js";
import { TreeReader, type ModuleInfo, type Sources, type SupNode } from "./sup-tree.js";

export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
  why: string;
  fix: string;
}

const HTTP = new Set(["HTTPoison", "Req", "Finch", "Tesla", ":httpc", "Mint.HTTP"]);

/** Whether a module's code names `alias` (by syntax). */
function mentions(info: ModuleInfo | undefined, alias: string): boolean {
  return info ? info.node.descendantsOfType("alias").some((n) => n?.text === alias) : false;
}

/** Whether a module broadcasts on PubSub (`Phoenix.PubSub.broadcast*`, `Endpoint.broadcast*`). */
function broadcasts(info: ModuleInfo | undefined): Node | undefined {
  if (!info) return undefined;
  return findCalls(info.node, (n) => {
    const name = callName(n) ?? "";
    const receiver = callReceiver(n) ?? "";
    return name.startsWith("broadcast") && (receiver === "Phoenix.PubSub" || receiver.endsWith("Endpoint"));
  })[0];
}

/** The nodes of a tree in start order (a supervisor before its children, children in order). */
function startOrder(root: SupNode): SupNode[] {
  const out: SupNode[] = [];
  const walk = (n: SupNode): void => {
    out.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  return out;
}

function treeLints(root: SupNode, reader: TreeReader): Finding[] {
  const findings: Finding[] = [];
  const order = startOrder(root);
  const at = (n: SupNode) => ({ file: n.file, line: n.line });

  // A process named through a Registry started before that Registry.
  const registries = new Map<string, number>();
  order.forEach((n, i) => {
    if (n.kind === "registry" && n.name) registries.set(n.name, i);
    if (n.kind === "registry" && !n.name && n.id !== "Registry") registries.set(n.id, i);
  });
  order.forEach((n, i) => {
    const r = n.registry;
    const started = r ? registries.get(r) : undefined;
    if (r && started !== undefined && started > i) {
      findings.push({
        ...at(n),
        rule: "registry-order",
        message: `${n.id} is named through ${r}, which starts after it`,
        why: "registering {:via, Registry, ...} needs the Registry running: the child fails to start, and so does its supervisor",
        fix: `move ${r} before ${n.id} in the children list`,
      });
    }
  });

  // PubSub after a child that broadcasts.
  const pubsub = order.findIndex((n) => n.kind === "pubsub");
  if (pubsub !== -1) {
    order.slice(0, pubsub).forEach((n) => {
      if (n.kind !== "process" && n.kind !== "supervisor") return;
      if (broadcasts(reader.index.get(n.id))) {
        findings.push({
          ...at(n),
          rule: "pubsub-order",
          message: `${n.id} broadcasts on PubSub, which starts after it`,
          why: "a broadcast before Phoenix.PubSub is running raises, so the child crashes at start or at its first event",
          fix: `move ${order[pubsub]?.name ?? "Phoenix.PubSub"} before ${n.id}`,
        });
      }
    });
  }

  for (const sup of order.filter((n) => n.children.length > 0)) {
    const kids = sup.children;
    // A Phoenix Endpoint that is not the last child of the application.
    if (sup.kind === "application") {
      const endpoint = kids.findIndex((c) => c.kind === "endpoint");
      if (endpoint !== -1 && endpoint !== kids.length - 1) {
        const e = kids[endpoint] as SupNode;
        findings.push({
          ...at(e),
          rule: "endpoint-last",
          message: `${e.id} is not the last child of ${sup.id}`,
          why: "the Endpoint starts serving requests as soon as it starts: the children after it are not running for the first requests",
          fix: `move ${e.id} to the end of the children list`,
        });
      }
    }
    // The same child id twice under one supervisor.
    const seen = new Map<string, SupNode>();
    for (const c of kids) {
      if (c.kind === "computed") continue;
      // Library children whose child_spec takes its id from `name:` (PartitionSupervisor's too).
      const library = (["registry", "pubsub", "task-supervisor", "dynamic-supervisor", "finch"].includes(c.kind) || c.id === "PartitionSupervisor") && !reader.index.has(c.id);
      const id = c.childId ?? (library ? (c.name ?? c.id) : c.id);
      const first = seen.get(id);
      if (first) {
        findings.push({
          ...at(c),
          rule: "duplicate-id",
          message: `${c.id} is a child of ${sup.id} twice with the id ${id} (first at line ${first.line})`,
          why: "child ids are unique within a supervisor: it refuses to start with {:duplicate_child_name, ...}",
          fix: `give one of them its own id: Supervisor.child_spec({${c.id}, ...}, id: :another_id)`,
        });
      } else seen.set(id, c);
    }
    // A :one_for_one supervisor whose Registry is followed by its users.
    if (sup.strategy === ":one_for_one") {
      kids.forEach((r, i) => {
        if (r.kind !== "registry") return;
        const name = r.name ?? r.id;
        const user = kids.slice(i + 1).find((c) => c.registry === name || (c.kind !== "registry" && mentions(reader.index.get(c.id), name)));
        if (user) {
          findings.push({
            ...at(sup),
            rule: "registry-strategy",
            message: `${sup.id} is :one_for_one, and ${user.id} after ${name} registers in it`,
            why: "when the Registry restarts, its entries are gone but the processes that registered keep running, unreachable by name",
            fix: "use strategy: :rest_for_one (the users restart with their Registry), or put them under a supervisor of their own with it (gen dynamic-supervisor does)",
          });
        }
      });
    }
  }

  // A DynamicSupervisor without a name: that the code looks up by name.
  const lookups = [...reader.index.values()].flatMap((m) =>
    findCalls(m.node, (n) => callReceiver(n) === "DynamicSupervisor" && ["start_child", "which_children", "count_children", "terminate_child"].includes(callName(n) ?? ""))
      .map((n) => callArgs(n)[0])
      .filter((a): a is Node => a?.type === "alias")
      .map((a) => a.text),
  );
  // The names a DynamicSupervisor of the tree has (its name:, or the module of the project's own).
  const named = new Set(order.filter((x) => x.kind === "dynamic-supervisor").flatMap((x) => [x.name, x.id !== "DynamicSupervisor" ? x.id : undefined]));
  const unresolved = lookups.filter((l) => !named.has(l));
  for (const n of order.filter((x) => x.kind === "dynamic-supervisor" && x.id === "DynamicSupervisor" && x.name === undefined)) {
    const looked = unresolved[0];
    if (looked) {
      findings.push({
        ...at(n),
        rule: "dynamic-supervisor-name",
        message: `a DynamicSupervisor without a name:, while the code calls DynamicSupervisor functions on ${looked}`,
        why: "a call to a name that nothing registered exits with :noproc",
        fix: `start it as {DynamicSupervisor, name: ${looked}, strategy: :one_for_one}`,
      });
    }
  }
  return findings;
}

/** Lints of the code itself, in every module. */
function codeLints(sources: Sources): Finding[] {
  const findings: Finding[] = [];
  for (const file of sources.files) {
    const source = sources.tree ? undefined : sources.read(file);
    const tree = sources.tree?.(file) ?? (source === undefined ? undefined : parse(source));
    if (tree === undefined) continue;
    const at = (n: Node) => ({ file, line: n.startPosition.row + 1 });
    for (const n of findCalls(tree.rootNode)) {
      const name = callName(n);
      const receiver = callReceiver(n);
      if (receiver === "Logger" && name === "warn") {
        findings.push({ ...at(n), rule: "logger-warn", message: "Logger.warn/1 is deprecated", why: "deprecated since Elixir 1.15 (a compile warning there, an error with --warnings-as-errors)", fix: "call Logger.warning/2" });
      }
      if (!receiver && name === "import" && callArgs(n)[0]?.text === "Supervisor.Spec") {
        findings.push({ ...at(n), rule: "supervisor-spec", message: "import Supervisor.Spec", why: "Supervisor.Spec is deprecated since Elixir 1.10", fix: "remove the import; write children as Module or {Module, arg}" });
      }
      if (!receiver && (name === "worker" || name === "supervisor") && callArgs(n).length >= 2 && callArgs(n)[0]?.type === "alias" && n.parent?.type === "list") {
        const mod = callArgs(n)[0]?.text;
        findings.push({ ...at(n), rule: "supervisor-spec", message: `${name}(${mod}, ...) is a Supervisor.Spec child`, why: "Supervisor.Spec is deprecated since Elixir 1.10", fix: `write the child as {${mod}, arg} (its child_spec/1 says how it starts)` });
      }
    }
    // A GenServer init/1 that calls out synchronously.
    for (const m of modules(tree.rootNode)) {
      const body = m.body;
      if (!body || !findCalls(body, (x) => callName(x) === "use" && callArgs(x)[0]?.text === "GenServer").length) continue;
      for (const init of functions(body, "init", 1, ["def"])) {
        const out = findAll(init, (x) => {
          const r = callReceiver(x) ?? "";
          return x.type === "call" && ((r === "GenServer" && callName(x) === "call") || r === "Repo" || r.endsWith(".Repo") || HTTP.has(r));
        })[0];
        if (out) {
          findings.push({
            ...at(out),
            rule: "blocking-init",
            message: `${m.name}.init/1 calls ${callReceiver(out)}.${callName(out)}`,
            why: "init/1 runs while its supervisor waits: a slow or failing call stalls or crashes the start of everything after it",
            fix: "return {:ok, state, {:continue, :load}} and make the call in handle_continue/2",
          });
        }
      }
    }
  }
  return findings;
}

/** Every finding in a project: the tree's (from its application module) and the code's. */
export function otpLints(sources: Sources, appModule: string | undefined, reader = new TreeReader(sources), tree?: SupNode): Finding[] {
  const root = tree ?? (appModule ? reader.application(appModule) : undefined);
  const findings = [...(root ? treeLints(root, reader) : []), ...codeLints(sources)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}
