// The notifications service: turns invoice events and reminders into messages for the account's contacts
// (honouring their preferences), writes them to the outbox and the in-app list in the caller's transaction,
// and delivers each e-mail through one durable job (retries with back-off, dead letters, re-queue). Accounts
// whose tier has the plugin switched off (its PluginGate) get no messages, and no e-mail written earlier.
import { randomUUID } from "node:crypto"
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import type { Tier } from "../../core/domain/Account.ts"
import { currency as currencyCode } from "../../core/domain/Currency.ts"
import { addDays, fromEpochDay, type LocalDate, localDate } from "../../core/domain/LocalDate.ts"
import {
  defineJob,
  type JobDefinition,
  type JobNotDead,
  type JobNotFound,
  type JobPayloadInvalid
} from "../../core/jobs/Job.ts"
import { JobQueue } from "../../core/jobs/JobQueue.ts"
import { PluginGate } from "../../core/plugin/PluginGate.ts"
import { Store } from "../../core/store/Store.ts"
import { type EmailFailed, EmailTransport } from "./EmailTransport.ts"
import { readRecipients } from "./internal/Recipients.ts"
import { invoiceLink, renderMessage } from "./MessageTemplates.ts"
import type { NotificationsConfig } from "./NotificationsConfig.ts"
import { choiceFor, type Topic } from "./Topics.ts"

/** An announcement about one invoice. */
export interface NotifyRequest {
  readonly topic: Topic
  readonly invoiceId: string
  /**
   * Identifies the announcement ("event:<eventId>", "reminder:<invoice>:<step>"): each contact gets at most
   * one e-mail and one in-app notification per key, however often `notify` runs with it.
   */
  readonly key: string
  /** For reminders: days from the due date (negative: before it). */
  readonly offsetDays?: number
}

/** What `notify` wrote: the new outbox messages' ids and how many in-app notifications. */
export interface NotifyResult {
  readonly emails: ReadonlyArray<string>
  readonly inApp: number
}

/** An invoice event as the notifications plugin sees it (from the bus, or read back from invoice_events). */
export interface InvoiceEventRef {
  readonly eventId: string
  /** The event's tag: "InvoiceIssued", "PaymentApplied", ... */
  readonly type: string
  readonly invoiceId: string
  readonly occurredOn: LocalDate
}

/** What delivering one outbox message did. */
export type DeliveryOutcome = "sent" | "already-done" | "cancelled"

/** One outbox message, for operators and tests. */
export interface OutboxMessage {
  readonly id: string
  readonly topic: Topic
  readonly contactId: string
  readonly invoiceId: string
  readonly recipient: string
  readonly subject: string
  readonly link: string
  readonly status: "pending" | "sent" | "cancelled"
  readonly jobId: string | null
  readonly cancelledReason: string | null
}

/** No outbox message has this id. */
export class OutboxMessageNotFound extends Schema.TaggedError<OutboxMessageNotFound>()("OutboxMessageNotFound", {
  messageId: Schema.String
}) {
  override get message(): string {
    return `no outbox message ${this.messageId}`
  }
}

/** The job kind that delivers one e-mail. */
export const deliverKind = "notifications/deliver-email"
/** The job kind that relays invoice events the bus did not deliver. */
export const relayKind = "notifications/relay"

/** The base statuses a reminder may still go out in. */
export const remindable: ReadonlyArray<string> = ["open", "partially-paid"]

const iso = (millis: number) => new Date(millis).toISOString()
const today = Effect.map(Clock.currentTimeMillis, (millis) => fromEpochDay(Math.floor(millis / 86_400_000)))

interface InvoiceRow {
  readonly id: string
  readonly account_id: string
  readonly account_name: string
  readonly tier: Tier
  readonly number: string
  readonly due_date: string
  readonly currency: string
  readonly total_minor: string
  readonly open_minor: string
  readonly status: string
}

interface OutboxRow {
  readonly id: string
  readonly topic: Topic
  readonly contact_id: string
  readonly account_id: string
  readonly invoice_id: string
  readonly recipient: string
  readonly subject: string
  readonly text_body: string
  readonly html_body: string | null
  readonly link: string
  readonly status: "pending" | "sent" | "cancelled"
  readonly job_id: string | null
  readonly cancelled_reason: string | null
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: row.id,
  topic: row.topic,
  contactId: row.contact_id,
  invoiceId: row.invoice_id,
  recipient: row.recipient,
  subject: row.subject,
  link: row.link,
  status: row.status,
  jobId: row.job_id,
  cancelledReason: row.cancelled_reason
})

/** The notifications service. Every call runs as the system; `notify` joins the caller's transaction. */
export class Notifications extends Context.Service<
  Notifications,
  {
    /**
     * Writes the messages of one announcement for every contact of the invoice's account whose preferences
     * allow it: an outbox row and its delivery job per e-mail, an in-app notification. Nothing for an account
     * whose tier has the plugin off. Runs in the caller's system transaction when there is one (the reminder
     * and its messages commit together).
     */
    readonly notify: (request: NotifyRequest) => Effect.Effect<NotifyResult, SqlError | JobPayloadInvalid>
    /**
     * Turns invoice events into announcements, once per event id: the receipt and the messages are written in
     * one transaction per event. Events older than `maxEventAgeDays` get a receipt and no message.
     */
    readonly recordEvents: (
      events: ReadonlyArray<InvoiceEventRef>
    ) => Effect.Effect<number, SqlError | JobPayloadInvalid>
    /** Records the invoice events of the last `maxEventAgeDays` that have no receipt yet; gives how many. */
    readonly relay: Effect.Effect<number, SqlError | JobPayloadInvalid>
    /**
     * Sends one outbox message (what the delivery job runs). Cancelled instead: a reminder whose invoice is
     * settled, and any message of an account whose tier has the plugin off by now.
     */
    readonly deliver: (messageId: string) => Effect.Effect<DeliveryOutcome, SqlError | EmailFailed>
    /** Outbox messages, newest first, optionally of one invoice. */
    readonly outbox: (filter?: { readonly invoiceId?: string }) => Effect.Effect<ReadonlyArray<OutboxMessage>, SqlError>
    /** The outbox messages whose delivery job is dead, with the job's last error. */
    readonly deadLetters: Effect.Effect<ReadonlyArray<OutboxMessage & { readonly lastError: string | null }>, SqlError>
    /** Puts a dead-lettered message's delivery job back in the queue with fresh attempts. */
    readonly requeue: (
      messageId: string
    ) => Effect.Effect<void, SqlError | OutboxMessageNotFound | JobNotFound | JobNotDead>
  }
>()("portico/plugins/notifications/Notifications") {
  /** The delivery job's definition for a config (its retry policy comes from the config). */
  static readonly deliverJob = (
    config: NotificationsConfig
  ): JobDefinition<{ readonly messageId: string }, SqlError | EmailFailed, Notifications> =>
    defineJob({
      kind: deliverKind,
      payload: Schema.Struct({ messageId: Schema.String }),
      retry: { maxAttempts: config.maxAttempts, base: `${config.retryBaseSeconds} seconds`, factor: 2, max: "1 hour" },
      run: ({ messageId }) => Effect.asVoid(Effect.flatMap(Notifications, (n) => n.deliver(messageId)))
    })

  /** The relay job: records invoice events the in-memory bus lost (a crash between commit and publish). */
  static readonly relayJob = defineJob({
    kind: relayKind,
    payload: Schema.Struct({}),
    run: () => Effect.asVoid(Effect.flatMap(Notifications, (n) => n.relay))
  })

  /** The service for `config`, over the store, the job queue, an e-mail transport and the plugin's gate. */
  static readonly layer = (
    config: NotificationsConfig
  ): Layer.Layer<Notifications, never, Store | SqlClient.SqlClient | JobQueue | EmailTransport | PluginGate> =>
    Layer.effect(
      Notifications,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Store
        const queue = yield* JobQueue
        const transport = yield* EmailTransport
        const gate = yield* PluginGate
        const deliverJob = Notifications.deliverJob(config)
        const asSystem = <A, E>(effect: Effect.Effect<A, E>) =>
          store.withScope(effect).pipe(Effect.provideService(CurrentPrincipal, system("notifications")))

        const invoiceOf = (invoiceId: string) =>
          Effect.map(
            sql<InvoiceRow>`select i.id, i.account_id, a.name as account_name, a.tier, i.number,
                i.due_date::text as due_date,
                i.currency, i.total_minor::text as total_minor, i.open_minor::text as open_minor, i.status
              from portico.invoices i join portico.accounts a on a.id = i.account_id
              where i.id = ${invoiceId}`,
            (rows) => Option.fromNullishOr(rows[0])
          )

        const notify = Effect.fn("Notifications.notify")(function* (request: NotifyRequest) {
          return yield* asSystem(
            Effect.gen(function* () {
              const found = yield* invoiceOf(request.invoiceId)
              if (Option.isNone(found) || !gate.isEnabled(found.value.tier)) return { emails: [], inApp: 0 }
              const invoice = found.value
              const now = iso(yield* Clock.currentTimeMillis)
              const link = invoiceLink(config.baseUrl, invoice.id)
              const currency = currencyCode(invoice.currency)
              const recipients = yield* readRecipients(sql, invoice.account_id, request.topic)
              const emails: Array<string> = []
              let inApp = 0
              for (const recipient of recipients) {
                const choice = choiceFor(recipient.preferences, request.topic)
                const locale = recipient.preferences.locale ?? config.locale
                const message = renderMessage({
                  topic: request.topic,
                  locale,
                  contactName: recipient.name,
                  accountName: invoice.account_name,
                  invoiceNumber: invoice.number,
                  status: invoice.status,
                  dueDate: localDate(invoice.due_date),
                  total: { currency, minor: Number(invoice.total_minor) },
                  open: { currency, minor: Number(invoice.open_minor) },
                  link,
                  ...(request.offsetDays === undefined ? {} : { offsetDays: request.offsetDays })
                })
                if (choice.email) {
                  const id = randomUUID()
                  const inserted = yield* sql<{ id: string }>`insert into portico.notification_outbox
                      (id, dedupe_key, topic, contact_id, account_id, invoice_id, recipient, locale, subject,
                       text_body, html_body, link, created_at)
                    values (${id}, ${`${request.key}:${recipient.contactId}:email`}, ${request.topic},
                      ${recipient.contactId}, ${invoice.account_id}, ${invoice.id}, ${recipient.email}, ${locale},
                      ${message.subject}, ${message.text}, ${recipient.plainText ? null : message.html}, ${link},
                      ${now}::timestamptz)
                    on conflict (dedupe_key) do nothing
                    returning id`
                  if (inserted.length > 0) {
                    const job = yield* queue.enqueue(
                      deliverJob,
                      { messageId: id },
                      { dedupeKey: `${deliverKind}:${id}` }
                    )
                    yield* sql`update portico.notification_outbox set job_id = ${job.id} where id = ${id}`
                    emails.push(id)
                  }
                }
                if (choice.inApp) {
                  const inserted = yield* sql<{ id: string }>`insert into portico.in_app_notifications
                      (id, dedupe_key, topic, contact_id, account_id, invoice_id, title, body, link, created_at)
                    values (${randomUUID()}, ${`${request.key}:${recipient.contactId}:in-app`}, ${request.topic},
                      ${recipient.contactId}, ${invoice.account_id}, ${invoice.id}, ${message.title}, ${message.line},
                      ${link}, ${now}::timestamptz)
                    on conflict (dedupe_key) do nothing
                    returning id`
                  inApp += inserted.length
                }
              }
              return { emails, inApp }
            })
          )
        })

        const recordEvent = (event: InvoiceEventRef, oldest: LocalDate) =>
          asSystem(
            Effect.gen(function* () {
              const now = iso(yield* Clock.currentTimeMillis)
              const receipt = yield* sql<{ event_id: string }>`insert into portico.notification_event_receipts
                  (event_id, recorded_at) values (${event.eventId}, ${now}::timestamptz)
                on conflict (event_id) do nothing
                returning event_id`
              if (receipt.length === 0 || event.occurredOn < oldest) return 0
              const topic: Topic = event.type === "InvoiceIssued" ? "invoice-issued" : "status-changed"
              yield* notify({ topic, invoiceId: event.invoiceId, key: `event:${event.eventId}` })
              return 1
            })
          )

        const recordEvents = Effect.fn("Notifications.recordEvents")(function* (
          events: ReadonlyArray<InvoiceEventRef>
        ) {
          const oldest = addDays(yield* today, -config.maxEventAgeDays)
          let recorded = 0
          for (const event of events) recorded += yield* recordEvent(event, oldest)
          return recorded
        })

        const relay = Effect.gen(function* () {
          const oldest = addDays(yield* today, -config.maxEventAgeDays)
          let total = 0
          while (true) {
            const rows = yield* asSystem(
              sql<{ event_id: string; type: string; invoice_id: string; occurred_on: string }>`
                select e.event_id, e.type, e.invoice_id, e.occurred_on::text as occurred_on
                from portico.invoice_events e
                where e.occurred_on >= ${oldest}::date
                  and not exists (select 1 from portico.notification_event_receipts r where r.event_id = e.event_id)
                order by e.position
                limit 200`
            )
            for (const row of rows) {
              total += yield* recordEvent(
                {
                  eventId: row.event_id,
                  type: row.type,
                  invoiceId: row.invoice_id,
                  occurredOn: localDate(row.occurred_on)
                },
                oldest
              )
            }
            if (rows.length < 200) return total
          }
        }).pipe(Effect.withSpan("Notifications.relay"))

        const deliver = Effect.fn("Notifications.deliver")(function* (messageId: string) {
          const rows = yield* asSystem(
            sql<OutboxRow>`select * from portico.notification_outbox where id = ${messageId}`
          )
          const row = rows[0]
          if (row === undefined || row.status !== "pending") return "already-done" as const
          const cancel = (reason: string) =>
            asSystem(
              sql`update portico.notification_outbox set status = 'cancelled', cancelled_reason = ${reason}
                where id = ${messageId} and status = 'pending'`
            ).pipe(Effect.as("cancelled" as const))
          // The account's tier may have lost the plugin since the message was written.
          if (!(yield* gate.allows(row.account_id)))
            return yield* cancel("notifications are off for the account's tier")
          if (row.topic === "reminder") {
            // The invoice may have been paid, credited or disputed since the reminder was written.
            const invoice = yield* asSystem(invoiceOf(row.invoice_id))
            const settled = Option.match(invoice, {
              onNone: () => "the invoice no longer exists",
              onSome: (found) =>
                remindable.includes(found.status) && Number(found.open_minor) > 0
                  ? undefined
                  : `the invoice is ${found.status}`
            })
            if (settled !== undefined) return yield* cancel(settled)
          }
          yield* transport.send({
            to: row.recipient,
            subject: row.subject,
            text: row.text_body,
            ...(row.html_body === null ? {} : { html: row.html_body }),
            messageId: `<${row.id}@portico.notifications>`
          })
          const sentAt = iso(yield* Clock.currentTimeMillis)
          yield* asSystem(
            sql`update portico.notification_outbox set status = 'sent', sent_at = ${sentAt}::timestamptz
              where id = ${messageId} and status = 'pending'`
          )
          return "sent" as const
        })

        const outbox = Effect.fn("Notifications.outbox")(function* (filter: { readonly invoiceId?: string } = {}) {
          const rows = yield* asSystem(
            sql<OutboxRow>`select * from portico.notification_outbox
              where (${filter.invoiceId ?? null}::text is null or invoice_id = ${filter.invoiceId ?? null})
              order by created_at desc, id`
          )
          return rows.map(toMessage)
        })

        const deadLetters = Effect.gen(function* () {
          const rows = yield* asSystem(
            sql<OutboxRow & { readonly last_error: string | null }>`select o.*, j.last_error
              from portico.notification_outbox o join portico.jobs j on j.id = o.job_id
              where j.status = 'dead' and o.status = 'pending'
              order by j.finished_at desc, o.id`
          )
          return rows.map((row) => ({ ...toMessage(row), lastError: row.last_error }))
        }).pipe(Effect.withSpan("Notifications.deadLetters"))

        const requeue = Effect.fn("Notifications.requeue")(function* (messageId: string) {
          const rows = yield* asSystem(
            sql<{ job_id: string | null }>`select job_id from portico.notification_outbox where id = ${messageId}`
          )
          const jobId = rows[0]?.job_id
          if (jobId === undefined || jobId === null) return yield* new OutboxMessageNotFound({ messageId })
          yield* queue.requeue(jobId)
        })

        return Notifications.of({ notify, recordEvents, relay, deliver, outbox, deadLetters, requeue })
      })
    )
}
