// Applies a dispute command to a stored invoice inside the caller's open transaction: lock the invoice, replay
// its recorded events, decide, then record the new events and the resulting status. Runs as the system (the
// customer roles may not write invoices); the caller's transaction makes it one unit with the audit entry.
import { Effect, Result, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import {
  baseStatus,
  decide,
  evolve,
  type InvoiceCommand,
  InvoiceEvent,
  InvoiceNotIssued,
  type InvoiceStatus,
  type IssuedInvoice,
  isIssued,
  replay
} from "../../../core/billing/InvoiceStateMachine.ts"
import type { AccountId, InvoiceId } from "../../../core/domain/Ids.ts"
import type { LocalDate } from "../../../core/domain/LocalDate.ts"
import type { Store } from "../../../core/store/Store.ts"
import { NotFound } from "../../../core/store/StoreErrors.ts"

/** What a command did to the stored invoice. */
export interface CommandOutcome {
  readonly accountId: AccountId
  readonly source: { readonly source: string; readonly externalId: string }
  readonly before: InvoiceStatus
  readonly state: IssuedInvoice
  readonly events: ReadonlyArray<InvoiceEvent>
}

const decodeEvent = Schema.decodeUnknownSync(InvoiceEvent)
const encodeEvent = Schema.encodeSync(InvoiceEvent)

/**
 * The invoice's state from its recorded events, as the sync engine rebuilds it: the newest InvoiceIssued (the
 * ERP's latest statement of the invoice) followed by every other event in recorded order.
 */
export const storedState = (events: ReadonlyArray<InvoiceEvent>) => {
  const issued = events.filter((event) => event._tag === "InvoiceIssued").at(-1)
  return replay(issued === undefined ? events : [issued, ...events.filter((event) => event._tag !== "InvoiceIssued")])
}

/** Decides `command` on the stored invoice and records the outcome, as the system named by `reason`. */
export const applyInvoiceCommand = (
  sql: SqlClient.SqlClient,
  store: Store["Service"],
  invoiceId: InvoiceId,
  command: InvoiceCommand,
  today: LocalDate,
  reason: string
) =>
  store
    .withScope(
      Effect.gen(function* () {
        const heads = yield* sql<{ account_id: AccountId; status: InvoiceStatus; source: string; external_id: string }>`
          select account_id, status, source, external_id from portico.invoices where id = ${invoiceId} for update`
        const head = heads[0]
        if (head === undefined) return yield* new NotFound({ kind: "invoice", id: invoiceId })
        const rows = yield* sql<{ payload: unknown }>`
          select payload from portico.invoice_events where invoice_id = ${invoiceId} order by position`
        const state = storedState(
          rows.map((row) => decodeEvent(typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload))
        )
        if (!isIssued(state)) return yield* new InvoiceNotIssued({ command: command._tag })
        const decided = decide(state, command, today)
        if (Result.isFailure(decided)) return yield* decided.failure
        const events = decided.success
        let next: IssuedInvoice = state
        for (const event of events) {
          const evolved = evolve(next, event)
          if (isIssued(evolved)) next = evolved
          yield* sql`insert into portico.invoice_events (event_id, invoice_id, account_id, type, payload, occurred_on)
            values (${event.eventId}, ${invoiceId}, ${head.account_id}, ${event._tag},
              ${JSON.stringify(encodeEvent(event))}::json, ${event.occurredOn}::date)`
        }
        yield* sql`update portico.invoices set status = ${baseStatus(next)}, updated_at = now() where id = ${invoiceId}`
        return {
          accountId: head.account_id,
          source: { source: head.source, externalId: head.external_id },
          before: head.status,
          state: next,
          events
        } satisfies CommandOutcome
      })
    )
    .pipe(Effect.provideService(CurrentPrincipal, system(reason)))
