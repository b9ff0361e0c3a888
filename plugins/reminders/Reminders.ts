// The reminders service: the daily run (find the steps that have come, check each invoice's state at send
// time, record the step and write its messages in one transaction), the preview of what will go out, and
// per-account sequence overrides. Accounts whose tier has the plugin switched off (its PluginGate) are
// neither reminded nor previewed.
import { Clock, Context, Effect, Layer, Result, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import type { Tier } from "../../core/domain/Account.ts"
import { addDays, type LocalDate, localDate } from "../../core/domain/LocalDate.ts"
import { defineJob, type JobPayloadInvalid } from "../../core/jobs/Job.ts"
import { PluginGate } from "../../core/plugin/PluginGate.ts"
import { Store } from "../../core/store/Store.ts"
import { Notifications, remindable } from "../notifications/Notifications.ts"
import { decide, plan, type Sequence } from "./DunningPlan.ts"
import { type RemindersConfig, SequenceSchema } from "./RemindersConfig.ts"

/** One reminder the daily run sent. */
export interface SentReminder {
  readonly invoiceId: string
  readonly offsetDays: number
  /** How many e-mails it put in the outbox (0 when no contact wants reminders by e-mail). */
  readonly emails: number
}

/** What one run did. */
export interface RunReport {
  readonly asOf: LocalDate
  readonly sent: ReadonlyArray<SentReminder>
  /** Steps whose day passed without a run: recorded, never sent late. */
  readonly skipped: number
  /** Invoices found settled (paid, credited, disputed, void, written off) when their step came. */
  readonly stopped: number
}

/** A reminder the daily runs will send if the invoice stays open. */
export interface PlannedReminder {
  readonly invoiceId: string
  readonly invoiceNumber: string
  readonly accountId: string
  readonly dueDate: LocalDate
  readonly offsetDays: number
  readonly sendOn: LocalDate
}

/** The sequence an account follows, and whether it is the account's own. */
export interface AccountSequence {
  readonly accountId: string
  readonly offsets: Sequence
  readonly overridden: boolean
}

/** A sequence an account was given does not fit the rules (distinct offsets, -365 to 365, at most 12). */
export class InvalidSequence extends Schema.TaggedError<InvalidSequence>()("InvalidSequence", {
  accountId: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `invalid reminder sequence for account ${this.accountId}: ${this.detail}`
  }
}

const decodeSequence = Schema.decodeUnknownResult(SequenceSchema)

/** The kind of the daily job. */
export const dailyKind = "reminders/daily"

interface Candidate {
  readonly id: string
  readonly account_id: string
  readonly tier: Tier
  readonly number: string
  readonly due_date: string
  readonly offsets: ReadonlyArray<number> | null
  readonly done: ReadonlyArray<number>
}

/** The calendar day of `millis` in `timeZone`. */
export const dayIn = (millis: number, timeZone: string): LocalDate =>
  localDate(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(millis)
  )

/** The reminders service; every call runs as the system. */
export class Reminders extends Context.Service<
  Reminders,
  {
    /** Sends the reminders due on `asOf` (at most one step per invoice), each step at most once ever. */
    readonly run: (asOf: LocalDate) => Effect.Effect<RunReport, SqlError | JobPayloadInvalid>
    /** The reminders daily runs from `from` will send over `days` days, for one account or all, by day. */
    readonly preview: (options: {
      readonly from: LocalDate
      readonly days: number
      readonly accountId?: string
    }) => Effect.Effect<ReadonlyArray<PlannedReminder>, SqlError>
    /** The account's sequence: its override, or the default. */
    readonly sequenceOf: (accountId: string) => Effect.Effect<AccountSequence, SqlError>
    /** Sets the account's own sequence (`[]`: no reminders at all); `null` goes back to the default. */
    readonly setSequence: (
      accountId: string,
      offsets: Sequence | null
    ) => Effect.Effect<void, SqlError | InvalidSequence>
  }
>()("portico/plugins/reminders/Reminders") {
  /** The daily job: runs for the current calendar day in `timeZone`. */
  static readonly dailyJob = (timeZone: string) =>
    defineJob({
      kind: dailyKind,
      payload: Schema.Struct({}),
      run: () =>
        Effect.gen(function* () {
          const reminders = yield* Reminders
          const asOf = dayIn(yield* Clock.currentTimeMillis, timeZone)
          yield* reminders.run(asOf)
        })
    })

  static readonly layer = (
    config: RemindersConfig
  ): Layer.Layer<Reminders, never, Store | SqlClient.SqlClient | Notifications | PluginGate> =>
    Layer.effect(
      Reminders,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Store
        const notifications = yield* Notifications
        const gate = yield* PluginGate
        const asSystem = <A, E>(effect: Effect.Effect<A, E>) =>
          store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("reminders")))
        const defaults = [...config.sequence]

        /**
         * Open invoices whose earliest step has come by `until`, with their sequence and finished steps, of
         * accounts whose tier has the plugin on.
         */
        const candidates = (until: LocalDate, accountId: string | undefined) =>
          asSystem(
            sql<Candidate>`select i.id, i.account_id, a.tier, i.number, i.due_date::text as due_date, s.offsets,
                array(select r.offset_days from portico.reminders_sent r where r.invoice_id = i.id) as done
              from portico.invoices i
              join portico.accounts a on a.id = i.account_id
              left join portico.reminder_sequences s on s.account_id = i.account_id
              where i.status in ('open', 'partially-paid') and i.open_minor > 0
                and (${accountId ?? null}::text is null or i.account_id = ${accountId ?? null})
                and i.due_date + coalesce((select min(o) from unnest(coalesce(s.offsets, ${defaults}::int[])) o), 0)
                  <= ${until}::date
              order by i.due_date, i.id`
          ).pipe(Effect.map((rows) => (gate.everywhere ? rows : rows.filter((row) => gate.isEnabled(row.tier)))))

        /** One invoice's step, in one transaction: state checked under a row lock, step recorded, messages written. */
        const remind = (candidate: Candidate, asOf: LocalDate) =>
          asSystem(
            Effect.gen(function* () {
              const rows = yield* sql<{ status: string; open_minor: string }>`select status,
                  open_minor::text as open_minor from portico.invoices where id = ${candidate.id} for update`
              const invoice = rows[0]
              if (invoice === undefined || !remindable.includes(invoice.status) || Number(invoice.open_minor) <= 0) {
                return { _tag: "Stopped" } as const
              }
              const done = yield* sql<{ offset_days: number }>`select offset_days from portico.reminders_sent
                where invoice_id = ${candidate.id}`
              const decision = decide(
                localDate(candidate.due_date),
                candidate.offsets ?? defaults,
                new Set(done.map((row) => row.offset_days)),
                asOf
              )
              const at = new Date(yield* Clock.currentTimeMillis).toISOString()
              for (const offset of decision.skip) {
                yield* sql`insert into portico.reminders_sent
                    (invoice_id, offset_days, account_id, outcome, as_of, recorded_at)
                  values (${candidate.id}, ${offset}, ${candidate.account_id}, 'skipped', ${asOf}::date, ${at}::timestamptz)
                  on conflict do nothing`
              }
              if (decision.send === undefined) return { _tag: "Skipped", skipped: decision.skip.length } as const
              const recorded = yield* sql<{ offset_days: number }>`insert into portico.reminders_sent
                  (invoice_id, offset_days, account_id, outcome, as_of, recorded_at)
                values (${candidate.id}, ${decision.send}, ${candidate.account_id}, 'sent', ${asOf}::date, ${at}::timestamptz)
                on conflict do nothing
                returning offset_days`
              if (recorded.length === 0) return { _tag: "Skipped", skipped: decision.skip.length } as const
              const result = yield* notifications.notify({
                topic: "reminder",
                invoiceId: candidate.id,
                key: `reminder:${candidate.id}:${decision.send}`,
                offsetDays: decision.send
              })
              return {
                _tag: "Sent",
                skipped: decision.skip.length,
                sent: { invoiceId: candidate.id, offsetDays: decision.send, emails: result.emails.length }
              } as const
            })
          )

        const run = Effect.fn("Reminders.run")(function* (asOf: LocalDate) {
          const found = yield* candidates(asOf, undefined)
          const sent: Array<SentReminder> = []
          let skipped = 0
          let stopped = 0
          for (const candidate of found) {
            const pending = decide(
              localDate(candidate.due_date),
              candidate.offsets ?? defaults,
              new Set(candidate.done),
              asOf
            )
            if (pending.send === undefined) continue
            const outcome = yield* remind(candidate, asOf)
            if (outcome._tag === "Stopped") stopped += 1
            else {
              skipped += outcome.skipped
              if (outcome._tag === "Sent") sent.push(outcome.sent)
            }
          }
          return { asOf, sent, skipped, stopped }
        })

        const preview = Effect.fn("Reminders.preview")(function* (options: {
          readonly from: LocalDate
          readonly days: number
          readonly accountId?: string
        }) {
          const days = Math.max(0, Math.floor(options.days))
          const found = yield* candidates(addDays(options.from, days - 1), options.accountId)
          const planned = found.flatMap((candidate) =>
            plan(
              localDate(candidate.due_date),
              candidate.offsets ?? defaults,
              new Set(candidate.done),
              options.from,
              days
            ).map(
              (step): PlannedReminder => ({
                invoiceId: candidate.id,
                invoiceNumber: candidate.number,
                accountId: candidate.account_id,
                dueDate: localDate(candidate.due_date),
                offsetDays: step.offsetDays,
                sendOn: step.sendOn
              })
            )
          )
          return planned.sort((a, b) =>
            a.sendOn === b.sendOn ? a.invoiceId.localeCompare(b.invoiceId) : a.sendOn < b.sendOn ? -1 : 1
          )
        })

        const sequenceOf = Effect.fn("Reminders.sequenceOf")(function* (accountId: string) {
          const rows = yield* asSystem(
            sql<{ offsets: ReadonlyArray<number> }>`select offsets from portico.reminder_sequences
              where account_id = ${accountId}`
          )
          const own = rows[0]
          return own === undefined
            ? { accountId, offsets: defaults, overridden: false }
            : { accountId, offsets: [...own.offsets].sort((a, b) => a - b), overridden: true }
        })

        const setSequence = Effect.fn("Reminders.setSequence")(function* (accountId: string, offsets: Sequence | null) {
          if (offsets !== null) {
            const checked = decodeSequence(offsets)
            if (Result.isFailure(checked)) {
              return yield* new InvalidSequence({ accountId, detail: checked.failure.message })
            }
          }
          const at = new Date(yield* Clock.currentTimeMillis).toISOString()
          yield* asSystem(
            offsets === null
              ? sql`delete from portico.reminder_sequences where account_id = ${accountId}`
              : sql`insert into portico.reminder_sequences (account_id, offsets, updated_at)
                  values (${accountId}, ${[...new Set(offsets)]}::int[], ${at}::timestamptz)
                  on conflict (account_id) do update set offsets = excluded.offsets, updated_at = excluded.updated_at`
          )
        })

        return Reminders.of({ run, preview, sequenceOf, setSequence })
      })
    )
}
