// The reminders plugin's tables: per-account sequence overrides, and every reminder step sent or skipped
// per invoice (its primary key is what makes a step go out at most once, across restarts and processes).
import { migration } from "../../../core/store/Migration.ts"
import { systemRole } from "../../../core/store/migrations/0002_row_level_security.ts"

const tables = ["reminder_sequences", "reminders_sent"] as const

/** reminders/0001_reminders: sequence overrides and sent steps; only the system role reaches them. */
export const remindersTables = migration("reminders/0001_reminders", [
  `create table portico.reminder_sequences (
    account_id text primary key references portico.accounts (id) on delete cascade,
    offsets int[] not null,
    updated_at timestamptz not null
  )`,
  `create table portico.reminders_sent (
    invoice_id text not null references portico.invoices (id) on delete cascade,
    offset_days int not null,
    account_id text not null,
    outcome text not null check (outcome in ('sent', 'skipped')),
    as_of date not null,
    recorded_at timestamptz not null,
    primary key (invoice_id, offset_days)
  )`,
  `create index reminders_sent_account on portico.reminders_sent (account_id, as_of)`,
  ...tables.flatMap((table) => [
    `grant select, insert, update, delete on portico.${table} to ${systemRole}`,
    `alter table portico.${table} enable row level security`,
    `alter table portico.${table} force row level security`,
    `create policy system_all on portico.${table} to ${systemRole} using (true) with check (true)`
  ])
])
