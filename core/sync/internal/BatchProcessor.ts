// One batch of one entity: decode each record with the adapter, check it against the billing rules and the
// store (referenced accounts and invoices exist, payments fit their invoices), drive the invoice state
// machine, and write the accepted records and the quarantined ones. Runs inside the caller's transaction.
import { Effect, Result } from "effect"
import type { SqlError } from "effect/sql/SqlError"
import type { CurrentPrincipal } from "../../access/Principal.ts"
import { baseStatus, type InvoiceRuleViolation, type IssuedInvoice } from "../../billing/InvoiceStateMachine.ts"
import type { RoundingPolicy } from "../../billing/Totals.ts"
import type { Account } from "../../domain/Account.ts"
import type { Contact } from "../../domain/Contact.ts"
import type { CreditNote, Invoice } from "../../domain/Invoice.ts"
import type { Payment } from "../../domain/Payment.ts"
import type { EntityName, EntityTypes } from "../../erp/Entity.ts"
import type { ErpAdapterShape } from "../../erp/ErpAdapter.ts"
import type { ReadItem } from "../../erp/SourceRecord.ts"
import type { DomainEvent } from "../../events/DomainEvents.ts"
import { type InvoiceWrite, invoiceContentHash, type QuarantineWrite, SyncBatches } from "../../store/SyncBatches.ts"
import { SyncReads } from "../../store/SyncReads.ts"
import type { UpsertOutcome } from "../../store/SyncStore.ts"
import { applyCredit, invoiceState } from "../InvoiceLedger.ts"
import { checkDocument, checkPayment, type RuleOutcome } from "../RecordRules.ts"
import type { QuarantineNotice, SyncWarning } from "../SyncRun.ts"
import { invoiceChanges, Ledger, settleAll } from "./WorkingInvoices.ts"

/** What a batch did. */
export interface BatchResult {
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  readonly superseded: number
  readonly quarantined: number
  readonly warnings: ReadonlyArray<SyncWarning>
  readonly events: number
  readonly notices: ReadonlyArray<QuarantineNotice>
  /** Published after the batch's transaction commits. */
  readonly domainEvents: ReadonlyArray<DomainEvent>
  /** The newest source timestamp among the records (revisions that are ISO timestamps), when any. */
  readonly newest?: number
}

interface Decoded<E extends EntityName> {
  readonly externalId: string
  /** The raw record, turned into text only if it is quarantined. */
  readonly data: unknown
  readonly value: EntityTypes[E]
  /** For an invoice: what needs no store, worked out while the previous batch is being written. */
  readonly prepared?: PreparedInvoice | undefined
}

/**
 * The parts of an invoice's processing that depend on the invoice alone: its rule check, its state when no
 * events are recorded for it yet (every new invoice), and its content hash. Computing them in the decode
 * stage takes them off the path that holds the batch's transaction open.
 */
export interface PreparedInvoice {
  readonly rules: RuleOutcome
  readonly fresh: Result.Result<IssuedInvoice, InvoiceRuleViolation>
  readonly contentHash: string
}

const prepareInvoice = (invoice: Invoice, policy: RoundingPolicy): PreparedInvoice => ({
  rules: checkDocument(invoice, policy),
  fresh: invoiceState(invoice, []),
  contentHash: invoiceContentHash(invoice)
})

interface Reject {
  readonly externalId?: string | undefined
  readonly reason: string
  readonly raw: string
}

/** JSON text of a raw record for the quarantine; values JSON cannot hold are kept as text. */
export const rawText = (raw: unknown): string => {
  try {
    return (
      JSON.stringify(raw, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value)) ?? "null"
    )
  } catch {
    return String(raw)
  }
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/

/** A batch decoded by the adapter: the records to check and write, and those already rejected. */
export interface DecodedBatch {
  readonly entity: EntityName
  /** How many items were read. */
  readonly size: number
  readonly records: ReadonlyArray<Decoded<EntityName>>
  readonly rejects: ReadonlyArray<Reject>
  readonly superseded: number
  readonly newest: number | undefined
}

/**
 * Decodes a batch with the adapter (pure, outside any transaction, so it can run while the previous batch is
 * being written); keeps the last copy of a record that appears twice. Invoices are also prepared (see
 * `PreparedInvoice`) with `policy`, which must be the policy the batch is processed with.
 */
export const decodeBatch = <E extends EntityName>(
  adapter: ErpAdapterShape,
  entity: E,
  items: ReadonlyArray<ReadItem>,
  policy: RoundingPolicy
): DecodedBatch => {
  const rejects: Array<Reject> = []
  const byId = new Map<string, Decoded<E>>()
  let superseded = 0
  let newest: number | undefined
  for (const item of items) {
    if (item._tag === "RejectedRecord") {
      rejects.push({ externalId: item.externalId, reason: item.rejection.message, raw: rawText(item.raw) })
      continue
    }
    if (item.revision !== undefined && isoTimestamp.test(item.revision)) {
      const at = Date.parse(item.revision)
      if (Number.isFinite(at) && (newest === undefined || at > newest)) newest = at
    }
    const decoded = adapter.decode(item)
    if (Result.isFailure(decoded)) {
      rejects.push({ externalId: item.externalId, reason: decoded.failure.message, raw: rawText(item.data) })
      continue
    }
    if (decoded.success.entity !== entity) {
      rejects.push({
        externalId: item.externalId,
        reason: `read as ${entity} but decoded as ${decoded.success.entity}`,
        raw: rawText(item.data)
      })
      continue
    }
    if (byId.delete(item.externalId)) superseded += 1
    // safe: the entity tag was checked equal to E just above
    const value = decoded.success.value as EntityTypes[E]
    byId.set(item.externalId, {
      externalId: item.externalId,
      data: item.data,
      value,
      prepared: decoded.success.entity === "invoices" ? prepareInvoice(decoded.success.value, policy) : undefined
    })
  }
  return { entity, size: items.length, records: [...byId.values()], rejects, superseded, newest }
}

const count = (outcomes: ReadonlyArray<UpsertOutcome>, outcome: UpsertOutcome) =>
  outcomes.filter((o) => o === outcome).length

type Handled = Omit<BatchResult, "superseded" | "newest" | "notices" | "quarantined"> & {
  readonly rejects: ReadonlyArray<Reject>
}

const none = { inserted: 0, updated: 0, unchanged: 0, warnings: [], events: 0, domainEvents: [], rejects: [] }

const accountRef = (accountId: string) =>
  `account ${accountId} is not in the store (sync accounts first, or check the account number)`

/**
 * Processes one batch of `entity` from `adapter` and writes it. Quarantined records are written with the
 * batch; domain events are returned for the caller to publish after the commit.
 */
export const processBatch = Effect.fnUntraced(function* (
  source: string,
  decoded: DecodedBatch,
  policy: RoundingPolicy
): Effect.fn.Return<BatchResult, SqlError, SyncBatches | SyncReads | CurrentPrincipal> {
  const batches = yield* SyncBatches
  const reads = yield* SyncReads
  const entity = decoded.entity
  const reject = (record: { externalId: string; data: unknown }, reason: string): Reject => ({
    externalId: record.externalId,
    reason,
    raw: rawText(record.data)
  })

  const handle = Effect.fnUntraced(function* (): Effect.fn.Return<Handled, SqlError, CurrentPrincipal> {
    switch (entity) {
      case "accounts": {
        const records = decoded.records as ReadonlyArray<Decoded<"accounts">> // safe: decodeBatch checked the tag
        const outcomes = yield* batches.upsertAccounts(records.map((r): Account => r.value))
        return { ...none, ...tally(outcomes) }
      }
      case "contacts": {
        const records = decoded.records as ReadonlyArray<Decoded<"contacts">> // safe: decodeBatch checked the tag
        const known = yield* reads.existing(
          "accounts",
          records.flatMap((r) => r.value.links.map((l) => l.accountId))
        )
        const owners = yield* reads.emailOwners(records.map((r) => r.value.email))
        const rejects: Array<Reject> = []
        const accepted: Array<Contact> = []
        const emails = new Set<string>()
        for (const record of records) {
          const contact = record.value
          const email = contact.email.toLowerCase()
          const owner = owners.get(email)
          const missing = contact.links.find((l) => !known.has(l.accountId))
          if (missing !== undefined) rejects.push(reject(record, `linked to ${accountRef(missing.accountId)}`))
          else if (owner !== undefined && (owner.source !== source || owner.externalId !== record.externalId)) {
            rejects.push(
              reject(record, `the e-mail ${email} already belongs to contact ${owner.source}:${owner.externalId}`)
            )
          } else if (emails.has(email)) {
            rejects.push(reject(record, `the e-mail ${email} belongs to another contact in the same batch`))
          } else {
            emails.add(email)
            accepted.push(contact)
          }
        }
        const outcomes = yield* batches.upsertContacts(accepted)
        return { ...none, ...tally(outcomes), rejects }
      }
      case "invoices": {
        const records = decoded.records as ReadonlyArray<Decoded<"invoices">> // safe: decodeBatch checked the tag
        const known = yield* reads.existing(
          "accounts",
          records.map((r) => r.value.accountId)
        )
        const stored = yield* reads.invoices(records.map((r) => r.value.id))
        const rejects: Array<Reject> = []
        const warnings: Array<SyncWarning> = []
        const writes: Array<InvoiceWrite & { readonly recorded: ReadonlySet<string> }> = []
        for (const record of records) {
          const invoice: Invoice = record.value
          if (!known.has(invoice.accountId)) {
            rejects.push(reject(record, accountRef(invoice.accountId)))
            continue
          }
          const prepared = record.prepared
          const rules = prepared?.rules ?? checkDocument(invoice, policy)
          if (rules._tag === "Rejected") {
            rejects.push(reject(record, rules.reason))
            continue
          }
          const events = stored.get(invoice.id)?.events ?? []
          const state = events.length === 0 && prepared !== undefined ? prepared.fresh : invoiceState(invoice, events)
          if (Result.isFailure(state)) {
            rejects.push(reject(record, state.failure.message))
            continue
          }
          for (const message of rules.warnings) warnings.push({ entity, externalId: record.externalId, message })
          writes.push({
            invoice,
            state: state.success,
            recorded: new Set(events.map((e) => e.eventId)),
            contentHash: prepared?.contentHash
          })
        }
        const outcomes = yield* batches.upsertInvoices(writes)
        const domainEvents: Array<DomainEvent> = []
        let eventCount = 0
        outcomes.forEach((outcome, index) => {
          const write = writes[index]
          if (outcome === "unchanged" || write === undefined) return
          const fresh = write.state.history.filter((e) => !write.recorded.has(e.eventId))
          eventCount += fresh.length
          domainEvents.push({
            _tag: "InvoiceChanged",
            change: outcome,
            invoiceId: write.invoice.id,
            accountId: write.invoice.accountId,
            source: write.invoice.source,
            status: baseStatus(write.state),
            open: write.state.open,
            events: fresh
          })
        })
        return { ...tally(outcomes), warnings, events: eventCount, domainEvents, rejects }
      }
      case "credit-notes": {
        const records = decoded.records as ReadonlyArray<Decoded<"credit-notes">> // safe: decodeBatch checked the tag
        const known = yield* reads.existing(
          "accounts",
          records.map((r) => r.value.accountId)
        )
        const ledger = new Ledger(
          yield* reads.invoices(records.flatMap((r) => (r.value.invoiceId === undefined ? [] : [r.value.invoiceId])))
        )
        const rejects: Array<Reject> = []
        const warnings: Array<SyncWarning> = []
        const accepted: Array<CreditNote> = []
        for (const record of records) {
          const note = record.value
          if (!known.has(note.accountId)) {
            rejects.push(reject(record, accountRef(note.accountId)))
            continue
          }
          const rules = checkDocument(note, policy)
          if (rules._tag === "Rejected") {
            rejects.push(reject(record, rules.reason))
            continue
          }
          const invoiceId = note.invoiceId
          if (invoiceId !== undefined) {
            const state = ledger.states.get(invoiceId)
            if (state === undefined) {
              rejects.push(reject(record, `credits invoice ${invoiceId}, which is not in the store`))
              continue
            }
            if (ledger.accountOf(invoiceId) !== note.accountId) {
              rejects.push(reject(record, `credits invoice ${invoiceId} of another account`))
              continue
            }
            const applied = applyCredit(state, { ...note, invoiceId })
            if (Result.isFailure(applied)) {
              rejects.push(reject(record, `cannot be applied to invoice ${invoiceId}: ${applied.failure.message}`))
              continue
            }
            ledger.states.set(invoiceId, applied.success.state)
          }
          for (const message of rules.warnings) warnings.push({ entity, externalId: record.externalId, message })
          accepted.push(note)
        }
        const outcomes = yield* batches.upsertCreditNotes(accepted)
        const changed = ledger.changed()
        yield* batches.updateInvoiceStates(changed)
        const domainEvents: Array<DomainEvent> = []
        outcomes.forEach((outcome, index) => {
          const note = accepted[index]
          if (outcome === "unchanged" || note === undefined) return
          domainEvents.push({
            _tag: "CreditNoteChanged",
            change: outcome,
            creditNoteId: note.id,
            accountId: note.accountId,
            source: note.source,
            total: note.totals.total,
            ...(note.invoiceId === undefined ? {} : { invoiceId: note.invoiceId })
          })
        })
        domainEvents.push(...invoiceChanges(changed))
        return {
          ...tally(outcomes),
          warnings,
          events: changed.reduce((n, c) => n + c.fresh.length, 0),
          domainEvents,
          rejects
        }
      }
      case "payments": {
        const records = decoded.records as ReadonlyArray<Decoded<"payments">> // safe: decodeBatch checked the tag
        const known = yield* reads.existing(
          "accounts",
          records.map((r) => r.value.accountId)
        )
        const previous = yield* reads.allocations(records.map((r) => r.value.id))
        const invoiceIds = records.flatMap((r) => [
          ...r.value.allocations.map((a) => a.invoiceId),
          ...(previous.get(r.value.id)?.keys() ?? [])
        ])
        const ledger = new Ledger(yield* reads.invoices(invoiceIds))
        const rejects: Array<Reject> = []
        const accepted: Array<Payment> = []
        for (const record of records) {
          const payment = record.value
          if (!known.has(payment.accountId)) {
            rejects.push(reject(record, accountRef(payment.accountId)))
            continue
          }
          const rules = checkPayment(payment)
          if (rules._tag === "Rejected") {
            rejects.push(reject(record, rules.reason))
            continue
          }
          const settled = settleAll(ledger, payment, [...(previous.get(payment.id)?.keys() ?? [])])
          if (typeof settled === "string") {
            rejects.push(reject(record, settled))
            continue
          }
          for (const [invoiceId, state] of settled) ledger.states.set(invoiceId, state)
          accepted.push(payment)
        }
        const outcomes = yield* batches.upsertPayments(accepted)
        const changed = ledger.changed()
        yield* batches.updateInvoiceStates(changed)
        const domainEvents: Array<DomainEvent> = []
        outcomes.forEach((outcome, index) => {
          const payment = accepted[index]
          if (outcome === "unchanged" || payment === undefined) return
          domainEvents.push({
            _tag: "PaymentChanged",
            change: outcome,
            paymentId: payment.id,
            accountId: payment.accountId,
            source: payment.source,
            amount: payment.amount,
            invoiceIds: payment.allocations.map((a) => a.invoiceId)
          })
        })
        domainEvents.push(...invoiceChanges(changed))
        return {
          ...tally(outcomes),
          warnings: [],
          events: changed.reduce((n, c) => n + c.fresh.length, 0),
          domainEvents,
          rejects
        }
      }
      case "documents":
        // The engine sends documents to DocumentBatch.ts, which fetches their content first; a batch of them
        // here would have no bytes to store, so it is quarantined rather than written half.
        return {
          ...none,
          rejects: decoded.records.map((r) =>
            reject(r, "documents are written with their content by the document batch, not as plain records")
          )
        }
    }
  })

  const handled = yield* handle()
  const rejects = [...decoded.rejects, ...handled.rejects]
  yield* batches.quarantine(
    rejects.map((r): QuarantineWrite => ({ source, entity, externalId: r.externalId, reason: r.reason, raw: r.raw }))
  )
  return {
    inserted: handled.inserted,
    updated: handled.updated,
    unchanged: handled.unchanged,
    superseded: decoded.superseded,
    quarantined: rejects.length,
    warnings: handled.warnings,
    events: handled.events,
    notices: rejects.map((r) => ({
      entity,
      ...(r.externalId === undefined ? {} : { externalId: r.externalId }),
      reason: r.reason
    })),
    domainEvents: handled.domainEvents,
    ...(decoded.newest === undefined ? {} : { newest: decoded.newest })
  }
})

const tally = (outcomes: ReadonlyArray<UpsertOutcome>) => ({
  inserted: count(outcomes, "inserted"),
  updated: count(outcomes, "updated"),
  unchanged: count(outcomes, "unchanged")
})
