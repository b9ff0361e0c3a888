// Entity plans: children only where they belong, and every named column matched against the server's.
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { columnOfPath, planEntity, requireColumns } from "../../../../adapters/sql/internal/EntityPlan.ts"
import { postgresDialect } from "../../../../adapters/sql/SqlDialect.ts"

const failure = <A, E extends { readonly message: string }>(result: Result.Result<A, E>): string =>
  Result.isFailure(result) ? result.failure.message : "succeeded"

const child = { select: "select * from lines", parentKey: ["invoice_no"] as const, mapping: {} }

describe("planEntity", () => {
  it("orders by the cursor column, then the primary key", () => {
    const plan = planEntity(
      "invoices",
      { select: "select * from t", primaryKey: ["co", "no"], cursorColumn: "changed", mapping: {} },
      postgresDialect
    )
    expect(Result.isSuccess(plan) && [plan.success.order, plan.success.incremental]).toEqual([
      ["changed", "co", "no"],
      true
    ])
  })

  it("takes a content column for documents only", () => {
    const query = { select: "select * from t", primaryKey: ["id"] as const, mapping: {}, contentColumn: "data" }
    expect(Result.isSuccess(planEntity("documents", query, postgresDialect))).toBe(true)
    expect(failure(planEntity("invoices", query, postgresDialect))).toContain(
      "entities.invoices.contentColumn: only documents have content"
    )
  })

  it("refuses lines on accounts, allocations on invoices, and a parent key of the wrong width", () => {
    expect(
      failure(
        planEntity("accounts", { select: "select 1", primaryKey: ["a"], mapping: {}, lines: child }, postgresDialect)
      )
    ).toContain("entities.accounts.lines: accounts have no lines")
    expect(
      failure(
        planEntity(
          "invoices",
          { select: "select 1", primaryKey: ["a"], mapping: {}, allocations: child },
          postgresDialect
        )
      )
    ).toContain('entities.invoices.allocations: invoices have no allocations (use "lines")')
    expect(
      failure(
        planEntity(
          "invoices",
          { select: "select 1", primaryKey: ["a", "b"], mapping: {}, lines: child },
          postgresDialect
        )
      )
    ).toContain("entities.invoices.lines.parentKey: names 1 column(s) but the primaryKey has 2")
  })

  it("names the entity and the part of a refused query", () => {
    expect(
      failure(
        planEntity(
          "invoices",
          { select: "select 1", primaryKey: ["a"], mapping: {}, lines: { ...child, select: "delete from lines" } },
          postgresDialect
        )
      )
    ).toContain("entities.invoices.lines.select: the query is refused (data-modifying)")
  })
})

describe("requireColumns", () => {
  const columns = ["no", "total", "meta", "a.b"]

  it("accepts key and mapped columns the query returns, including paths into JSON columns", () => {
    expect(
      Result.isSuccess(requireColumns("p", columns, ["no"], { total: "total", vat: "meta.vat", x: { from: "a.b" } }))
    ).toBe(true)
  })

  it("names every missing column, and what the query does return", () => {
    expect(
      failure(requireColumns("entities.accounts", columns, ["id"], { name: "name", c: { constant: "EUR" } }))
    ).toBe(
      'SchemaMismatch during check columns: entities.accounts: the SELECT has no column "id", "name" (it returns "no", "total", "meta", "a.b")'
    )
  })

  it("refuses duplicated and reserved column names", () => {
    expect(failure(requireColumns("p", ["id", "id"], [], {}))).toContain('returns "id" more than once')
    expect(failure(requireColumns("p", ["__portico_k0"], [], {}))).toContain("reserved for the adapter")
  })

  it("finds the column a mapping path starts at", () => {
    expect(["total", "meta.vat", "lines[0].qty", "['a.b'].c"].map(columnOfPath)).toEqual([
      "total",
      "meta",
      "lines",
      "a.b"
    ])
  })
})
