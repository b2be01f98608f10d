// The OTP generators with their main option combinations, shared by the
// in-process, packed-CLI and newest-Elixir tests.

/** Each generator with its main option combinations (Workers must exist before --under it). */
export const RUNS = (prefix: string): string[][] => [
  ["genserver", "RateLimiter"],
  ["genserver", "Inventory", "--continue", "--every", "30s"],
  ["genserver", "Session", "--registry"],
  ["genserver", "Accounts.Feed", "--registry", "--continue", "--every", "250ms"],
  ["supervisor", "Workers"],
  ["supervisor", "Pipeline", "--strategy", "rest_for_one", "--max-restarts", "10", "--max-seconds", "60"],
  ["genserver", "Worker", "--under", `${prefix}.Workers`],
  ["dynamic-supervisor", "Sessions"],
  ["dynamic-supervisor", "Games.Rooms", "--restart", "transient"],
  ["registry", "Lookup.Registry"],
  ["agent", "Settings"],
  ["task-supervisor", "TaskSupervisor"],
  ["ets-cache", "Cache"],
  ["ets-cache", "Sessions.Cache", "--ttl", "15m"],
  ["rate-limiter", "Limiter"],
  ["rate-limiter", "Api.Throttle", "--limit", "100", "--per", "1m"],
  ["circuit-breaker", "PaymentsBreaker"],
  ["circuit-breaker", "Geo.Breaker", "--failure-rate", "40", "--minimum-calls", "10", "--window", "5s", "--reset", "10s"],
  ["retry"],
  ["retry", "Http.Retry"],
  ["periodic", "Cleanup"],
  ["periodic", "Reports.Nightly", "--every", "1h"],
  ["periodic", "Billing.Sweep", "--singleton"],
  ["singleton", "Leader"],
  ["protocol", "Describable", "--for", "Map,List,Integer"],
  ["protocol", "Exportable", "--for", "Tuple,BitString", "--fallback-to-any", "--functions", "to_csv,to_json"],
  ["mix-task", "seed"],
  ["mix-task", "db.import", "--switches", "file:string,limit:integer,ratio:float,verbose:count,dry_run:boolean"],
  // The toolbox generators that call Hex libraries (fetched from ../shared/hex, else hex.pm).
  ["pool", "ConnectionPool", "--size", "3"],
  ["pool", "Ldap.Pool", "--poolboy"],
  ["pipeline", "Ingest"],
  ["pipeline", "Orders.Ingest", "--broadway"],
  ["flow", "OrderTotals"],
  ["flow", "Reports.DailyTotals", "--stages", "4", "--max-demand", "500"],
  ["behaviour", "Payments.Gateway", "--callbacks", BEHAVIOUR_CALLBACKS],
];

/** Callbacks for gen behaviour: an error tuple, :ok, a nil-able count, and one of no arguments. */
export const BEHAVIOUR_CALLBACKS =
  "charge(amount :: pos_integer(), currency :: String.t()) :: {:ok, String.t()} | {:error, term()}; refund(id :: String.t()) :: :ok | {:error, term()}; count() :: non_neg_integer() | nil";

/**
 * The cluster, release and telemetry generators, once per project: a
 * different combination in each project of the matrix. `before` runs before
 * RUNS: with telemetry there, the limiter, breaker and cache emit their events
 * (the :telemetry variant); after, they do not.
 */
export const DISTRIBUTION = {
  /** host, create-otp-app project: telemetry and libcluster's gossip strategy with Horde first (periodic is then a singleton by default). */
  hostOurs: { before: [["telemetry"], ["cluster", "--strategy", "gossip", "--registry", "horde"]], after: [] },
  /** host, mix new --sup: the dependency-free hosts connector with :pg; telemetry with Prometheus, last. */
  hostPlain: { before: [], after: [["cluster", "--strategy", "hosts", "--registry", "pg"], ["telemetry", "--prometheus"]] },
  /** newest Elixir, create-otp-app: first telemetry with Prometheus, Kubernetes manifests, then cluster (dns, the default with them) and Horde. */
  nextOurs: { before: [["telemetry", "--prometheus"], ["release", "--k8s"], ["cluster", "--registry", "horde"]], after: [] },
  /** newest Elixir, mix new --sup: hosts and :pg, a release; telemetry last. */
  nextPlain: { before: [], after: [["cluster", "--strategy", "hosts", "--registry", "pg"], ["release"], ["telemetry"]] },
};
