// The sync engine's own table: one row per run with its outcome and per-entity counts, readable by the
// system role only (operators see it through `portico sync` and the starter's admin pages).
import { migration } from "../../store/Migration.ts"
import { systemRole } from "../../store/migrations/0002_row_level_security.ts"

/** sync/0001_sync_runs: the run log. */
export const syncRuns = migration("sync/0001_sync_runs", [
  `create table portico.sync_runs (
    id text primary key,
    source text not null,
    trigger text not null check (trigger in ('on-demand', 'schedule', 'webhook')),
    status text not null check (status in ('running', 'succeeded', 'failed', 'interrupted')),
    started_at timestamptz not null,
    finished_at timestamptz,
    counts jsonb not null default '{}'::jsonb,
    error text,
    lag_ms bigint
  )`,
  `create index sync_runs_source on portico.sync_runs (source, started_at desc)`,
  `grant select, insert, update, delete on portico.sync_runs to ${systemRole}`,
  `alter table portico.sync_runs enable row level security`,
  `alter table portico.sync_runs force row level security`,
  `create policy system_all on portico.sync_runs to ${systemRole} using (true) with check (true)`
])
