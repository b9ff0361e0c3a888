import { Effect, Layer } from "effect"
import { CsvAdapter } from "portico/adapters/csv"
import { ContactPrincipal, CurrentPrincipal } from "portico/core/access"
import { AccountId, ContactId, LocalDate } from "portico/core/domain"
import { layerAdapter } from "portico/core/erp"
import { DomainEvents } from "portico/core/events"
import { Invoices, StoreLayer } from "portico/core/store"
import { SyncEngine, storeWithSyncMigrations, syncAdapter } from "portico/core/sync"

// An embedded PostgreSQL (PGlite, in memory) with Portico's schema, and the sync engine on top.
const portico = SyncEngine.layer.pipe(
  Layer.provideMerge(DomainEvents.layer),
  Layer.provideMerge(StoreLayer.layer({}, storeWithSyncMigrations))
)

// A customer's contact, signed in: every query below runs in their scope, enforced by the database.
const anna = ContactPrincipal.make({
  contactId: ContactId.make("acme-erp:anna"),
  links: [{ accountId: AccountId.make("acme-erp:10002"), role: "ap-contact" }],
  activeAccountId: AccountId.make("acme-erp:10002")
})

export const quickstart = (settings: unknown) =>
  Effect.gen(function* () {
    yield* syncAdapter().pipe(Effect.provide(layerAdapter(CsvAdapter, { sourceId: "acme-erp" }, settings)))
    const page = yield* Invoices.use((invoices) => invoices.list({ asOf: LocalDate.localDate("2026-04-15") }))
    return page.items.map((invoice) => `${invoice.number}: ${invoice.statusAsOf}, open ${invoice.open.minor}`)
  }).pipe(Effect.provideService(CurrentPrincipal, anna), Effect.provide(portico))
