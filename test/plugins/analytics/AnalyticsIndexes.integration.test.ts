// The analytics queries use the plugin's indexes at a realistic size (500 accounts, 20 000 invoices, 150 000
// audit entries over a year): EXPLAIN shows index scans on the audit log and invoices, never a sequential
// scan of the audit log. Runs on PGlite and the PostgreSQL server.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { CurrentPrincipal, system } from "../../../core/access/Principal.ts"
import type { LocalDate } from "../../../core/domain/LocalDate.ts"
import { coreMigrations } from "../../../core/store/migrations/coreMigrations.ts"
import { Store } from "../../../core/store/Store.ts"
import * as StoreLayer from "../../../core/store/StoreLayer.ts"
import { analyticsMigrations } from "../../../plugins/analytics/AnalyticsMigrations.ts"
import * as Queries from "../../../plugins/analytics/internal/queries.ts"
import { backends } from "../../support/Databases.ts"

const accounts = 500
const invoices = 20_000
const entries = 150_000

/**
 * Seeds the tables with set-based inserts as the database owner, with triggers off (`session_replication_role`
 * replica): the audit log's per-row head trigger would otherwise dominate, and these rows form no real chain.
 */
const seedAtSize = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`set local session_replication_role = replica`
      yield* sql`insert into portico.accounts (id, source, external_id, number, name, tier, currency, content_hash)
        select 'ax-' || g, 'bench', 'ax-' || g, 'N' || g, 'Account ' || g, 'standard', 'EUR', 'h'
        from generate_series(1, ${accounts}) g`
      yield* sql`insert into portico.invoices (id, account_id, source, external_id, number, issue_date, due_date,
          currency, net_minor, tax_minor, total_minor, open_minor, status, content_hash)
        select 'ix-' || g, 'ax-' || (g % ${accounts} + 1), 'bench', 'ix-' || g, 'INV' || g,
          date '2025-01-01' + (g % 365), date '2025-01-01' + (g % 365) + 30, 'EUR', 1000, 0, 1000,
          case when g % 3 = 0 then 0 else 1000 end, case when g % 3 = 0 then 'paid' else 'open' end, 'h'
        from generate_series(1, ${invoices}) g`
      // One entry in ten a sign-in, two downloads, one an account view, the rest invoice views; 1 in 37 denied.
      yield* sql`insert into portico.audit_log (id, account_id, seq, principal_kind, principal_id, action, records,
          outcome, occurred_at, prev_hash, hash)
        select 'ex-' || g, 'ax-' || (g % ${accounts} + 1), g / ${accounts} + 1, 'contact', 'cx-' || (g % 2000),
          case when g % 10 = 0 then 'sign-in' when g % 10 in (1, 2) then 'download' else 'view' end,
          case when g % 10 = 0 then '[]'::jsonb
            when g % 10 = 9 then jsonb_build_array(jsonb_build_object('kind', 'account', 'id', 'ax-' || (g % ${accounts} + 1)))
            else jsonb_build_array(jsonb_build_object('kind', 'invoice', 'id', 'ix-' || (g % ${invoices} + 1))) end,
          case when g % 37 = 0 then 'denied' else 'success' end,
          timestamptz '2025-01-01 00:00:00+00' + ((g * 157) % 525600) * interval '1 minute', 'x', 'x'
        from generate_series(1, ${entries}) g`
    })
  )
  yield* sql`analyze portico.audit_log`
  yield* sql`analyze portico.invoices`
  yield* sql`analyze portico.accounts`
})

interface PlanNode {
  readonly "Node Type"?: string
  readonly "Relation Name"?: string
  readonly "Index Name"?: string
  readonly Plans?: ReadonlyArray<PlanNode>
}

const nodesOf = (node: PlanNode): ReadonlyArray<PlanNode> => [node, ...(node.Plans ?? []).flatMap(nodesOf)]

/** The plan's nodes for a statement, explained in the same scoped transaction settings the service uses. */
const explain = (statement: (sql: SqlClient.SqlClient) => ReturnType<typeof Queries.signIns> | unknown) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const store = yield* Store
    const rows = yield* store.withScope(
      sql<Record<string, unknown>>`explain (format json) ${statement(sql) as ReturnType<typeof Queries.signIns>}`
    )
    const raw = Object.values(rows[0] ?? {})[0]
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as ReadonlyArray<{ Plan: PlanNode }>
    return nodesOf(parsed[0]!.Plan)
  }).pipe(Effect.provideService(CurrentPrincipal, system("analytics index test")))

const indexesUsed = (nodes: ReadonlyArray<PlanNode>) =>
  new Set(nodes.flatMap((node) => (node["Index Name"] === undefined ? [] : [node["Index Name"]])))

const seqScanned = (nodes: ReadonlyArray<PlanNode>) =>
  new Set(nodes.flatMap((node) => (node["Node Type"] === "Seq Scan" ? [node["Relation Name"] ?? ""] : [])))

const from = "2025-06-01" as LocalDate
const to = "2025-06-30" as LocalDate

const available = await backends()

for (const backend of available) {
  describe.skipIf(!backend.availability.available)(`analytics indexes (${backend.name})`, () => {
    const services = StoreLayer.repositories.pipe(
      Layer.provideMerge(backend.layer([...coreMigrations, ...analyticsMigrations]))
    )
    layer(services, { timeout: 300_000 })((it) => {
      it.effect(
        "EXPLAIN: every figure reads the audit log through an index",
        () =>
          Effect.gen(function* () {
            yield* seedAtSize
            const cases: ReadonlyArray<
              readonly [string, (sql: SqlClient.SqlClient) => unknown, ReadonlyArray<string>]
            > = [
              ["sign-ins", (sql) => Queries.signIns(sql, from, to, "week"), ["analytics_audit_action_time"]],
              [
                "views and downloads",
                (sql) => Queries.viewsAndDownloads(sql, from, to),
                ["analytics_audit_action_time"]
              ],
              [
                "first views",
                (sql) => Queries.firstViews(sql, from, to),
                ["analytics_audit_invoice_views", "analytics_invoices_issued"]
              ],
              [
                "first view summary",
                (sql) => Queries.firstViewSummary(sql, from, to, "month"),
                ["analytics_audit_invoice_views", "analytics_invoices_issued"]
              ],
              [
                "unseen overdue",
                (sql) => Queries.overdueSeen(sql, "2025-03-01" as LocalDate),
                ["analytics_audit_invoice_views"]
              ]
            ]
            for (const [name, statement, expected] of cases) {
              const nodes = yield* explain(statement)
              const used = indexesUsed(nodes)
              for (const index of expected)
                assert.isTrue(used.has(index), `${name}: expected ${index}, plan used ${[...used].join(", ")}`)
              assert.isFalse(seqScanned(nodes).has("audit_log"), `${name}: sequential scan of the audit log`)
            }
          }),
        { timeout: 300_000 }
      )
    })
  })
}
