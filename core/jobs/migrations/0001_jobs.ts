// The durable job queue's table: one row per job, claimed with FOR UPDATE SKIP LOCKED under a lease, with a
// unique dedupe key for idempotent enqueues (one job per schedule tick). Only the system role reaches it.
import { migration } from "../../store/Migration.ts"
import { systemRole } from "../../store/migrations/0002_row_level_security.ts"

/** jobs/0001_jobs: the queue. */
export const jobsTable = migration("jobs/0001_jobs", [
  `create table portico.jobs (
    id text primary key,
    kind text not null,
    payload jsonb not null,
    status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'dead')),
    run_at timestamptz not null,
    attempts int not null default 0 check (attempts >= 0),
    max_attempts int not null check (max_attempts >= 1),
    locked_by text,
    locked_until timestamptz,
    last_error text,
    dedupe_key text unique,
    created_at timestamptz not null,
    finished_at timestamptz
  )`,
  // What a worker scans: queued jobs that are due, and running jobs whose lease ran out.
  `create index jobs_due on portico.jobs (run_at, id) where status = 'queued'`,
  `create index jobs_leased on portico.jobs (locked_until) where status = 'running'`,
  `create index jobs_dead on portico.jobs (kind, finished_at) where status = 'dead'`,
  `grant select, insert, update, delete on portico.jobs to ${systemRole}`,
  `alter table portico.jobs enable row level security`,
  `alter table portico.jobs force row level security`,
  `create policy system_all on portico.jobs to ${systemRole} using (true) with check (true)`
])
