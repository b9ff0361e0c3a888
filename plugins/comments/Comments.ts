// The comments and disputes use cases, always run for the current principal inside its scope: read a thread,
// comment, mark a thread resolved (business), open a dispute (customer with the permission) and resolve it
// (business). Writes and their audit entries commit together; events (CommentAdded, InvoiceChanged) are
// published on the domain event bus after the commit.
import { randomUUID } from "node:crypto"
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { FeatureDisabled, FeatureGates, isEnabled as featureEnabled } from "../../core/access/FeatureGates.ts"
import type { Permission } from "../../core/access/Permission.ts"
import { authorize, type PermissionDenied } from "../../core/access/Permissions.ts"
import { CurrentPrincipal, type Principal } from "../../core/access/Principal.ts"
import type { AuditRecord } from "../../core/audit/AuditEntry.ts"
import { AuditLog, actorOf } from "../../core/audit/AuditLog.ts"
import {
  baseStatus,
  InvoiceEvent,
  type InvoiceRuleViolation,
  type InvoiceStatus
} from "../../core/billing/InvoiceStateMachine.ts"
import type { Tier } from "../../core/domain/Account.ts"
import { type AccountId, EventId, type InvoiceId } from "../../core/domain/Ids.ts"
import { fromEpochDay, type LocalDate } from "../../core/domain/LocalDate.ts"
import { DomainEvents } from "../../core/events/DomainEvents.ts"
import { AuditContext } from "../../core/portal/AuditContext.ts"
import { PortalSettings, today } from "../../core/portal/PortalSettings.ts"
import { type ServiceScope, Store, serviceScope } from "../../core/store/Store.ts"
import { NotFound } from "../../core/store/StoreErrors.ts"
import {
  AttentionItem,
  BusinessOnly,
  CommentBody,
  type CommentEntry,
  type HistoryItem,
  InvalidComment,
  type Thread
} from "./Comment.ts"
import { applyInvoiceCommand } from "./internal/InvoiceCommands.ts"

/** Who may do what, from the plugin's settings. */
export interface CommentsRules {
  /** The permission a customer needs on the invoice to comment on it (default "view-invoices"). */
  readonly commentPermission: Permission
  /** The permission a customer needs on the invoice to dispute it (default "pay"). */
  readonly disputePermission: Permission
}

/** What opening or resolving a dispute did to the invoice. */
export interface DisputeOutcome {
  readonly invoiceId: InvoiceId
  readonly accountId: AccountId
  readonly before: InvoiceStatus
  readonly after: InvoiceStatus
  readonly events: ReadonlyArray<InvoiceEvent>
}

type Scoped<A, E> = Effect.Effect<A, E | SqlError, CurrentPrincipal>

interface Header {
  readonly id: InvoiceId
  readonly account_id: AccountId
  readonly number: string
  readonly status: InvoiceStatus
  readonly tier: Tier
}

const EntryRow = Schema.Struct({
  id: Schema.String,
  invoice_id: Schema.String,
  account_id: Schema.String,
  kind: Schema.Literals(["comment", "resolved"]),
  side: Schema.Literals(["customer", "business"]),
  author_kind: Schema.Literals(["contact", "link", "system"]),
  author_id: Schema.String,
  body: Schema.String,
  created_at: Schema.Date
})
const decodeEntries = Schema.decodeUnknownSync(Schema.Array(EntryRow))
const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)
const decodeAttention = Schema.decodeUnknownSync(AttentionItem)

const toEntry = (row: typeof EntryRow.Type): CommentEntry => ({
  id: row.id,
  invoiceId: row.invoice_id as InvoiceId, // safe: the column references invoices(id)
  accountId: row.account_id as AccountId, // safe: copied from the invoice's account_id
  kind: row.kind,
  side: row.side,
  authorKind: row.author_kind,
  authorId: row.author_id,
  body: row.body,
  createdAt: row.created_at.toISOString()
})

/** Whether the thread waits for the business: a customer comment after the last "resolved" entry. */
export const needsAttention = (entries: ReadonlyArray<CommentEntry>): boolean => {
  let waiting = false
  for (const entry of entries) {
    if (entry.kind === "resolved") waiting = false
    else if (entry.side === "customer") waiting = true
  }
  return waiting
}

const isoOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : (value instanceof Date ? value : new Date(String(value))).toISOString()

const isBusiness = (principal: Principal): boolean => principal._tag === "SystemPrincipal"

const decodeText = (text: string, what: string): Effect.Effect<string, InvalidComment> =>
  Schema.decodeUnknownEffect(CommentBody)(text).pipe(
    Effect.mapError(() => new InvalidComment({ detail: `${what} must be 1 to 4000 characters` }))
  )

const failureTag = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string"
    ? error._tag
    : "UnknownError"

const refusals = new Set(["NotFound", "PermissionDenied", "BusinessOnly", "FeatureDisabled"])

/** The comments and disputes use cases. */
export class Comments extends Context.Service<
  Comments,
  {
    /** The invoice's thread and history; NotFound outside the scope. Audited as a "view" of the thread. */
    readonly thread: (invoiceId: InvoiceId) => Scoped<Thread, NotFound | PermissionDenied | FeatureDisabled>
    /** Adds a comment as the current principal (a customer's flags the invoice "needs attention"). */
    readonly add: (
      invoiceId: InvoiceId,
      body: string
    ) => Scoped<CommentEntry, NotFound | PermissionDenied | FeatureDisabled | InvalidComment>
    /** The business marks the thread handled: clears "needs attention". `note` may be empty. */
    readonly markResolved: (
      invoiceId: InvoiceId,
      note?: string
    ) => Scoped<CommentEntry, NotFound | BusinessOnly | FeatureDisabled | InvalidComment>
    /** Opens a dispute with a reason: the invoice's stored status becomes "disputed" (reminders pause). */
    readonly openDispute: (
      invoiceId: InvoiceId,
      reason: string
    ) => Scoped<DisputeOutcome, NotFound | PermissionDenied | FeatureDisabled | InvalidComment | InvoiceRuleViolation>
    /** The business closes the open dispute: the status is recomputed from the invoice's figures. */
    readonly resolveDispute: (
      invoiceId: InvoiceId
    ) => Scoped<DisputeOutcome, NotFound | BusinessOnly | FeatureDisabled | InvoiceRuleViolation>
    /** The invoices waiting for the business (unresolved customer comments, open disputes); business only. */
    readonly attention: Scoped<ReadonlyArray<AttentionItem>, BusinessOnly>
  }
>()("portico/plugins/comments/Comments") {
  /** The use cases with `rules`, over the store, the audit log and the domain event bus. */
  static readonly layer = (rules: CommentsRules) =>
    Layer.effect(
      Comments,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* Store
        const log = yield* AuditLog
        const domainEvents = yield* DomainEvents
        const portalSettings = yield* Effect.serviceOption(PortalSettings)
        const gates = yield* Effect.serviceOption(FeatureGates)

        const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
        const todayIs: Effect.Effect<LocalDate> = Option.match(portalSettings, {
          onNone: () => Effect.map(Clock.currentTimeMillis, (millis) => fromEpochDay(Math.floor(millis / 86_400_000))),
          onSome: (settings) => Effect.provideService(today, PortalSettings, settings)
        })
        const client = Effect.map(Effect.service(AuditContext), (c) => ({
          ...(c.ip === undefined ? {} : { ip: c.ip }),
          ...(c.userAgent === undefined ? {} : { userAgent: c.userAgent })
        }))

        /** The scope's own conditions on a table alias (none for the system or with database-only enforcement). */
        const scoped = (scope: ServiceScope | undefined, alias: string, invoiceColumn: string) =>
          scope === undefined
            ? sql`true`
            : sql.and([
                sql`${sql.literal(`${alias}.account_id`)} = any(${scope.accountIds}::text[])`,
                ...(scope.invoiceId === null
                  ? []
                  : [sql`${sql.literal(`${alias}.${invoiceColumn}`)} = ${scope.invoiceId}`])
              ])

        const header = Effect.fn("Comments.header")(function* (invoiceId: InvoiceId) {
          const scope = yield* serviceScope
          const rows = yield* sql<Header>`select i.id, i.account_id, i.number, i.status, a.tier
            from portico.invoices i join portico.accounts a on a.id = i.account_id
            where ${scoped(scope, "i", "id")} and i.id = ${invoiceId}`
          const found = rows[0]
          if (found === undefined) return yield* new NotFound({ kind: "invoice", id: invoiceId })
          // Sold per tier: a customer of a tier without "comments" is refused; the business never is.
          const principal = yield* CurrentPrincipal
          if (!isBusiness(principal) && Option.isSome(gates) && !featureEnabled(gates.value, found.tier, "comments")) {
            return yield* new FeatureDisabled({ tier: found.tier, feature: "comments" })
          }
          return found
        })

        const entriesOf = Effect.fn("Comments.entriesOf")(function* (invoice: Header) {
          const scope = yield* serviceScope
          const rows =
            yield* sql`select id, invoice_id, account_id, kind, side, author_kind, author_id, body, created_at
            from portico.invoice_comments c
            where ${scoped(scope, "c", "invoice_id")} and c.account_id = ${invoice.account_id}
              and c.invoice_id = ${invoice.id}
            order by c.position`
          return decodeEntries(rows).map(toEntry)
        })

        /**
         * Runs `body` in one scoped transaction with its success entry (in the invoice's account chain); a
         * failure is recorded after the rollback, in the principal's own chain, as denied or error. The first
         * record is `subject` (the invoice, or for a thread view the thread: analytics read an entry whose first
         * record is an invoice as a view of that invoice).
         */
        const audited = <A, E>(
          action: string,
          invoiceId: InvoiceId,
          subject: "invoice" | "comment-thread",
          body: Effect.Effect<
            { readonly value: A; readonly accountId: AccountId; readonly records?: ReadonlyArray<AuditRecord> },
            E,
            CurrentPrincipal
          >
        ): Scoped<A, E> =>
          Effect.gen(function* () {
            const from = yield* client
            const first: AuditRecord = { kind: subject, id: invoiceId }
            return yield* store
              .withScope(
                Effect.flatMap(body, (done) =>
                  log
                    .append({
                      action,
                      outcome: "success",
                      accountId: done.accountId,
                      records: [first, ...(done.records ?? [])],
                      ...from
                    })
                    .pipe(Effect.as(done.value))
                )
              )
              .pipe(
                Effect.tapError((error) => {
                  const reason = failureTag(error)
                  return log.append({
                    action,
                    outcome: refusals.has(reason) ? "denied" : "error",
                    reason,
                    records: [first],
                    ...from
                  })
                })
              )
          })

        const requireBusiness = (action: string) =>
          Effect.flatMap(Effect.service(CurrentPrincipal), (principal) =>
            isBusiness(principal) ? Effect.void : Effect.fail(new BusinessOnly({ action }))
          )

        const thread = Effect.fn("Comments.thread")(function* (invoiceId: InvoiceId) {
          return yield* audited(
            "view",
            invoiceId,
            "comment-thread",
            Effect.gen(function* () {
              const principal = yield* CurrentPrincipal
              const invoice = yield* header(invoiceId)
              yield* authorize(principal, "view-invoices", invoice.account_id, invoice.id)
              const entries = yield* entriesOf(invoice)
              const events = yield* sql<{ payload: unknown; recorded_at: Date }>`
                select payload, recorded_at from portico.invoice_events
                where account_id = ${invoice.account_id} and invoice_id = ${invoice.id} order by position`
              const history: Array<HistoryItem> = [
                ...events.map(
                  (row): HistoryItem => ({
                    _tag: "Event",
                    at: new Date(row.recorded_at).toISOString(),
                    event: decodeEvent(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload)
                  })
                ),
                ...entries.map((entry): HistoryItem => ({ _tag: "Entry", at: entry.createdAt, entry }))
              ]
              // Stable: events keep their recorded order among themselves, entries theirs.
              history.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
              const value: Thread = {
                invoiceId: invoice.id,
                accountId: invoice.account_id,
                number: invoice.number,
                status: invoice.status,
                entries,
                needsAttention: needsAttention(entries),
                history
              }
              // The thread, not the invoice, was viewed: a record kind of its own keeps invoice views apart.
              return { value, accountId: invoice.account_id }
            })
          )
        })

        const insertEntry = Effect.fn("Comments.insertEntry")(function* (
          invoice: Header,
          kind: "comment" | "resolved",
          body: string
        ) {
          const principal = yield* CurrentPrincipal
          const actor = actorOf(principal)
          const entry: CommentEntry = {
            id: randomUUID(),
            invoiceId: invoice.id,
            accountId: invoice.account_id,
            kind,
            side: isBusiness(principal) ? "business" : "customer",
            authorKind: actor.kind,
            authorId: actor.id,
            body,
            createdAt: (yield* now).toISOString()
          }
          yield* sql`insert into portico.invoice_comments (id, invoice_id, account_id, kind, side, author_kind, author_id,
              body, created_at)
            values (${entry.id}, ${entry.invoiceId}, ${entry.accountId}, ${entry.kind}, ${entry.side}, ${entry.authorKind},
              ${entry.authorId}, ${entry.body}, ${entry.createdAt}::timestamptz)`
          const waiting = needsAttention(yield* entriesOf(invoice))
          return { entry, waiting }
        })

        const announce = (entry: CommentEntry, waiting: boolean) =>
          domainEvents.publish({
            _tag: "CommentAdded",
            commentId: entry.id,
            invoiceId: entry.invoiceId,
            accountId: entry.accountId,
            kind: entry.kind,
            side: entry.side,
            needsAttention: waiting
          })

        const add = Effect.fn("Comments.add")(function* (invoiceId: InvoiceId, body: string) {
          const text = yield* decodeText(body, "a comment")
          const { entry, waiting } = yield* audited(
            "comment-added",
            invoiceId,
            "invoice",
            Effect.gen(function* () {
              const principal = yield* CurrentPrincipal
              const invoice = yield* header(invoiceId)
              yield* authorize(principal, rules.commentPermission, invoice.account_id, invoice.id)
              const written = yield* insertEntry(invoice, "comment", text)
              return {
                value: written,
                accountId: invoice.account_id,
                records: [{ kind: "comment", id: written.entry.id }]
              }
            })
          )
          yield* announce(entry, waiting)
          return entry
        })

        const markResolved = Effect.fn("Comments.markResolved")(function* (invoiceId: InvoiceId, note = "") {
          const text = note.trim() === "" ? "" : yield* decodeText(note, "a resolution note")
          const { entry, waiting } = yield* audited(
            "comment-resolved",
            invoiceId,
            "invoice",
            Effect.gen(function* () {
              yield* requireBusiness("mark a thread resolved")
              const invoice = yield* header(invoiceId)
              const written = yield* insertEntry(invoice, "resolved", text)
              return {
                value: written,
                accountId: invoice.account_id,
                records: [{ kind: "comment", id: written.entry.id }]
              }
            })
          )
          yield* announce(entry, waiting)
          return entry
        })

        /** Applies a dispute command for the current principal and publishes the invoice's change afterwards. */
        const dispute = <Refused>(
          action: "dispute-opened" | "dispute-resolved",
          invoiceId: InvoiceId,
          check: (principal: Principal, invoice: Header) => Effect.Effect<void, Refused>,
          command: (eventId: EventId) => Parameters<typeof applyInvoiceCommand>[3]
        ) =>
          Effect.gen(function* () {
            const date = yield* todayIs
            const outcome = yield* audited(
              action,
              invoiceId,
              "invoice",
              Effect.gen(function* () {
                const principal = yield* CurrentPrincipal
                const invoice = yield* header(invoiceId)
                yield* check(principal, invoice)
                const eventId = EventId.make(`${action}:${randomUUID()}`)
                const actor = actorOf(principal)
                const applied = yield* applyInvoiceCommand(
                  sql,
                  store,
                  invoice.id,
                  command(eventId),
                  date,
                  `comments: ${action} by ${actor.kind} ${actor.id}`
                )
                return {
                  value: applied,
                  accountId: invoice.account_id,
                  records: applied.events.map((event) => ({ kind: "invoice-event", id: event.eventId }))
                }
              })
            )
            const after = baseStatus(outcome.state)
            yield* domainEvents.publish({
              _tag: "InvoiceChanged",
              change: "updated",
              invoiceId,
              accountId: outcome.accountId,
              source: outcome.source,
              status: after,
              open: outcome.state.open,
              events: outcome.events
            })
            return {
              invoiceId,
              accountId: outcome.accountId,
              before: outcome.before,
              after,
              events: outcome.events
            } satisfies DisputeOutcome
          })

        const openDispute = Effect.fn("Comments.openDispute")(function* (invoiceId: InvoiceId, reason: string) {
          const text = yield* decodeText(reason, "a dispute reason")
          return yield* dispute(
            "dispute-opened",
            invoiceId,
            (principal, invoice) => authorize(principal, rules.disputePermission, invoice.account_id, invoice.id),
            (eventId) => ({ _tag: "OpenDispute", eventId, reason: text })
          )
        })

        const resolveDispute = Effect.fn("Comments.resolveDispute")(function* (invoiceId: InvoiceId) {
          return yield* dispute(
            "dispute-resolved",
            invoiceId,
            (principal) =>
              isBusiness(principal) ? Effect.void : Effect.fail(new BusinessOnly({ action: "resolve a dispute" })),
            (eventId) => ({ _tag: "ResolveDispute", eventId })
          )
        })

        const attention = Effect.gen(function* () {
          yield* requireBusiness("list the invoices that need attention")
          const rows = yield* store.withScope(sql`
            with threads as (
              select invoice_id,
                max(position) filter (where kind = 'comment' and side = 'customer') as last_customer,
                max(position) filter (where kind = 'resolved') as last_resolved,
                max(created_at) filter (where kind = 'comment' and side = 'customer') as last_customer_at
              from portico.invoice_comments group by invoice_id
            ),
            flagged as (
              select invoice_id as id from threads where last_customer > coalesce(last_resolved, 0)
              union
              select id from portico.invoices where status = 'disputed'
            )
            select i.id, i.account_id, i.number, i.status,
              coalesce(t.last_customer > coalesce(t.last_resolved, 0), false) as needs_attention,
              i.status = 'disputed' as disputed, t.last_customer_at
            from flagged f join portico.invoices i on i.id = f.id left join threads t on t.invoice_id = i.id
            order by t.last_customer_at desc nulls last, i.id`)
          return rows.map((row) =>
            decodeAttention({
              invoiceId: row.id,
              accountId: row.account_id,
              number: row.number,
              status: row.status,
              needsAttention: row.needs_attention,
              disputed: row.disputed,
              lastCustomerCommentAt: isoOrNull(row.last_customer_at)
            })
          )
        })

        return Comments.of({ thread, add, markResolved, openDispute, resolveDispute, attention })
      })
    )
}
