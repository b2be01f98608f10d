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
  ["circuit-breaker", "Geo.Breaker", "--threshold", "3", "--reset", "10s"],
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
];

