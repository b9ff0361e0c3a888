// Keeps docs/billing-model.md honest: every ```ts example in it is a #region of this file, character for
// character, and runs here; its import block names only real exports; its diagram and tables name every status
// and every refusal.

import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import {
  ageOpenItems,
  allocateOldestFirst,
  allocateToChosen,
  balanceForwardStatement,
  baseStatus,
  checkStatedTotals,
  computeTotals,
  decide,
  evolve,
  type InvoiceCommand,
  InvoiceRuleViolation,
  type InvoiceState,
  InvoiceStatusAsOf,
  initialInvoiceState,
  isIssued,
  makeAgingConfig,
  openItemStatement,
  statusAsOf
} from "../core/billing/index.ts"
import { CreditNoteId, EventId, InvoiceId, PaymentId } from "../core/domain/Ids.ts"
import { currency, Decimal, LocalDate, Money } from "../core/domain/index.ts"

const docPath = new URL("./billing-model.md", import.meta.url)
const selfPath = new URL(import.meta.url)

/** The ```ts blocks of the doc: `ts example:<name>` blocks and the one `ts imports` block. */
const docBlocks = (markdown: string) => {
  const blocks: Array<{ readonly info: string; readonly body: string }> = []
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm
  for (const match of markdown.matchAll(fence)) blocks.push({ info: (match[1] ?? "").trim(), body: match[2] ?? "" })
  return blocks
}

/** The #region blocks of this file, dedented to the region marker's indentation. */
const regions = (source: string): ReadonlyMap<string, string> => {
  const found = new Map<string, string>()
  const pattern = /^([ \t]*)\/\/ #region (\S+)\n([\s\S]*?)^[ \t]*\/\/ #endregion$/gm
  for (const match of source.matchAll(pattern)) {
    const indent = match[1] ?? ""
    const body = (match[3] ?? "")
      .split("\n")
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join("\n")
    found.set(match[2] ?? "", body)
  }
  return found
}

describe("docs/billing-model.md", () => {
  const markdown = readFileSync(docPath, "utf8")
  const blocks = docBlocks(markdown)
  const examples = regions(readFileSync(selfPath, "utf8"))

  it("every ts example is a region of this test, word for word, and every region is in the doc", () => {
    const shown = blocks.filter((b) => b.info.startsWith("ts example:"))
    expect(shown.length).toBeGreaterThanOrEqual(8)
    for (const block of shown) {
      const name = block.info.slice("ts example:".length)
      expect(examples.get(name), `example "${name}" in the doc`).toBe(block.body)
    }
    expect(new Set(shown.map((b) => b.info.slice("ts example:".length)))).toEqual(new Set(examples.keys()))
    const unchecked = blocks.filter((b) => /^(ts|typescript)\b/.test(b.info) && !b.info.startsWith("ts example:"))
    expect(unchecked.map((b) => b.info)).toEqual(["ts imports"])
  })

  it("the import block names only what the modules export", async () => {
    const imports = blocks.find((b) => b.info === "ts imports")?.body ?? ""
    const statements = [...imports.matchAll(/import (type )?\{([^}]*)\} from "([^"]+)"/g)]
    expect(statements.length).toBeGreaterThanOrEqual(2)
    for (const [, , names, from] of statements) {
      const path = (from ?? "").replace(/^\.\//, "../")
      const module: Record<string, unknown> = await import(/* @vite-ignore */ path)
      for (const raw of (names ?? "").split(",")) {
        const name = raw.trim().replace(/^type /, "")
        if (name === "" || raw.trim().startsWith("type ")) continue
        expect(module[name], `${name} from ${from}`).toBeDefined()
      }
    }
    // the definitions after the imports are this file's own, line for line
    const own = readFileSync(selfPath, "utf8").split("\n")
    const definitions = imports.split("\n").filter((line) => /^(const|let|function) /.test(line))
    expect(definitions.length).toBeGreaterThan(0)
    for (const line of definitions) expect(own, line).toContain(line)
  })

  it("every runtime name in the API table is exported by core/billing", async () => {
    const billing: Record<string, unknown> = await import("../core/billing/index.ts")
    const section = markdown.slice(markdown.indexOf("## API"), markdown.indexOf("## What the property tests check"))
    const rows = [...section.matchAll(/^\| `([A-Za-z]+)` \| (\w+) \|(.*)\|$/gm)]
    expect(rows.length).toBeGreaterThan(30)
    for (const [, name, kind, rest] of rows) {
      if (kind === "type") continue
      expect(billing[name ?? ""], `${name}`).toBeDefined()
      if (kind === "function") expect(typeof billing[name ?? ""], `${name}`).toBe("function")
      // names listed inside a row (events, commands) are exported too
      if (kind === "Schema") {
        for (const [, inner] of (rest ?? "").matchAll(/`([A-Z][A-Za-z]+)`/g)) {
          if (["InvoiceStatus", "TotalsFigure"].includes(inner ?? "")) continue
          expect(billing[inner ?? ""], `${inner} in the ${name} row`).toBeDefined()
        }
      }
    }
    const errors = section.match(/^\| errors \| error \|(.*)\|$/m)?.[1] ?? ""
    for (const [, name] of errors.matchAll(/`([A-Za-z]+)`/g)) {
      const error = billing[name ?? ""]
      expect(typeof error, `${name}`).toBe("function")
    }
  })

  it("the diagram and the tables name every status and every refusal", () => {
    const diagram = blocks.find((b) => b.info === "mermaid")?.body ?? ""
    for (const status of InvoiceStatusAsOf.literals) {
      if (status !== "overdue") expect(diagram).toContain(`"${status}"`)
      expect(markdown).toContain(`\`${status}\``)
    }
    for (const member of InvoiceRuleViolation.members) {
      const tag = member.identifier
      expect(markdown, tag).toContain(`\`${tag}\``)
    }
  })
})

const EUR = currency("EUR")
const eur = (minor: number): Money.Money => ({ currency: EUR, minor })
const d = LocalDate.localDate

describe("the doc's examples run", () => {
  it("money", () => {
    // #region money
    const total = Money.make(currency("EUR"), 1000) // EUR 10.00
    assert.deepEqual(
      Money.split(total, [1, 1, 1]).map(Money.toDecimal),
      ["3.34", "3.33", "3.33"] // largest remainder: every cent is placed
    )
    const mixed = Money.add(total, Money.make(currency("USD"), 1))
    assert.equal(Result.isFailure(mixed) && mixed.failure._tag, "CurrencyMismatch")
    // #endregion
  })

  it("line-net", () => {
    // #region line-net
    const line = {
      lineNumber: 1,
      description: "Toner",
      quantity: Decimal.decimal("3"),
      unitPrice: Decimal.decimal("19.99"),
      discountPercent: Decimal.decimal("10"),
      discountAmount: Decimal.decimal("5"),
      taxRate: Decimal.decimal("19")
    }
    const totals = Result.getOrThrow(
      computeTotals({ currency: EUR, lines: [line] }, { when: "per-line", mode: "half-up" })
    )
    // 3 × 19.99 = 59.97; less 10% = 53.973; less 5.00 = 48.973 → 48.97; tax 19% of 48.97 = 9.3043 → 9.30
    assert.deepEqual([totals.net, totals.tax, totals.total].map(Money.toDecimal), ["48.97", "9.30", "58.27"])
    // #endregion
  })

  it("policies", () => {
    // #region policies
    const line = (n: number) => ({
      lineNumber: n,
      description: "Cable",
      quantity: Decimal.decimal("1"),
      unitPrice: Decimal.decimal("1.05"),
      taxRate: Decimal.decimal("10")
    })
    const doc = { currency: EUR, lines: [line(1), line(2), line(3)] }
    const tax = (when: "per-line" | "per-invoice", mode: "half-up" | "half-even") =>
      Money.toDecimal(Result.getOrThrow(computeTotals(doc, { when, mode })).tax)
    assert.equal(tax("per-line", "half-up"), "0.33") // 0.105 → 0.11, three times
    assert.equal(tax("per-line", "half-even"), "0.30") // 0.105 → 0.10, three times
    assert.equal(tax("per-invoice", "half-up"), "0.32") // 3.15 × 10% = 0.315 → 0.32
    assert.equal(tax("per-invoice", "half-even"), "0.32") // 0.315 → 0.32 (2 is even)
    // #endregion
  })

  it("discrepancy", () => {
    // #region discrepancy
    const invoice = {
      currency: EUR,
      lines: [
        {
          lineNumber: 1,
          description: "Support",
          quantity: Decimal.decimal("1"),
          unitPrice: Decimal.decimal("100"),
          taxRate: Decimal.decimal("19"),
          taxCode: "S"
        }
      ],
      taxLines: [{ code: "S", rate: Decimal.decimal("19"), taxable: eur(100_00), tax: eur(19_00) }],
      totals: { net: eur(100_00), tax: eur(19_00), total: eur(119_01) } // the ERP says 119.01
    }
    const found = Result.getOrThrow(checkStatedTotals(invoice, { when: "per-line", mode: "half-up" }))
    assert.deepEqual(found, [{ figure: "total", stated: eur(119_01), computed: eur(119_00) }])
    // #endregion
  })

  it("lifecycle", () => {
    // #region lifecycle
    let state: InvoiceState = initialInvoiceState
    const run = (command: InvoiceCommand, today: string) => {
      const events = Result.getOrThrow(decide(state, command, d(today)))
      for (const event of events) state = evolve(state, event)
      return events.length
    }
    const invoiceId = InvoiceId.make("INV-1001")
    run(
      { _tag: "IssueInvoice", eventId: EventId.make("e1"), invoiceId, total: eur(500_00), dueDate: d("2026-04-30") },
      "2026-03-31"
    )
    run(
      { _tag: "ApplyPayment", eventId: EventId.make("e2"), paymentId: PaymentId.make("P-77"), amount: eur(200_00) },
      "2026-04-10"
    )
    // the same command again (a retry): no new events, nothing changes
    assert.equal(
      run(
        { _tag: "ApplyPayment", eventId: EventId.make("e2"), paymentId: PaymentId.make("P-77"), amount: eur(200_00) },
        "2026-04-11"
      ),
      0
    )
    assert.ok(isIssued(state))
    assert.deepEqual([state.paid, state.open], [eur(200_00), eur(300_00)])
    assert.equal(baseStatus(state), "partially-paid")
    assert.equal(statusAsOf(state, d("2026-05-01")), "overdue")
    run({ _tag: "OpenDispute", eventId: EventId.make("e3"), reason: "two boxes missing" }, "2026-05-02")
    assert.ok(isIssued(state))
    assert.equal(statusAsOf(state, d("2026-05-03")), "disputed") // a dispute pauses collection
    run(
      {
        _tag: "ApplyCredit",
        eventId: EventId.make("e4"),
        creditNoteId: CreditNoteId.make("CN-9"),
        amount: eur(100_00)
      },
      "2026-05-05"
    )
    run({ _tag: "ResolveDispute", eventId: EventId.make("e5") }, "2026-05-05")
    run(
      { _tag: "ApplyPayment", eventId: EventId.make("e6"), paymentId: PaymentId.make("P-78"), amount: eur(200_00) },
      "2026-05-06"
    )
    assert.ok(isIssued(state))
    assert.equal(baseStatus(state), "paid") // a mix of payments and a credit settled it: "paid"
    // a refused command is a typed error, and changes nothing
    const refused = decide(
      state,
      { _tag: "ApplyCredit", eventId: EventId.make("e7"), creditNoteId: CreditNoteId.make("CN-10"), amount: eur(1) },
      d("2026-05-07")
    )
    assert.equal(Result.isFailure(refused) && refused.failure._tag, "CreditExceedsOpenBalance")
    // #endregion
  })

  it("overpayment", () => {
    // #region overpayment
    const command = (c: InvoiceCommand) => c
    let state: InvoiceState = initialInvoiceState
    for (const c of [
      command({
        _tag: "IssueInvoice",
        eventId: EventId.make("o1"),
        invoiceId: InvoiceId.make("INV-7"),
        total: eur(100_00),
        dueDate: d("2026-06-30")
      }),
      command({
        _tag: "ApplyPayment",
        eventId: EventId.make("o2"),
        paymentId: PaymentId.make("P-1"),
        amount: eur(125_00)
      })
    ]) {
      for (const event of Result.getOrThrow(decide(state, c, d("2026-06-01")))) state = evolve(state, event)
    }
    assert.ok(isIssued(state))
    assert.deepEqual([state.open, state.excess, baseStatus(state)], [eur(0), eur(25_00), "paid"])
    // a chargeback of 40.00 takes the 25.00 excess first, then reopens 15.00
    const chargeback = command({
      _tag: "ReversePayment",
      eventId: EventId.make("o3"),
      paymentId: PaymentId.make("P-1"),
      amount: eur(40_00),
      kind: "chargeback"
    })
    for (const event of Result.getOrThrow(decide(state, chargeback, d("2026-06-20")))) state = evolve(state, event)
    assert.ok(isIssued(state))
    assert.deepEqual([state.open, state.excess, baseStatus(state)], [eur(15_00), eur(0), "partially-paid"])
    // #endregion
  })

  it("allocation", () => {
    // #region allocation
    const open = (id: string, issued: string, due: string, minor: number) => ({
      id: InvoiceId.make(id),
      number: id,
      issueDate: d(issued),
      dueDate: d(due),
      open: eur(minor)
    })
    const invoices = [
      open("INV-3", "2026-03-01", "2026-03-31", 300_00),
      open("INV-1", "2026-01-01", "2026-01-31", 100_00),
      open("INV-2", "2026-02-01", "2026-03-03", 200_00)
    ]
    const oldest = Result.getOrThrow(allocateOldestFirst(eur(250_00), invoices))
    assert.deepEqual(
      oldest.allocations.map((a) => [a.invoiceId, Money.toDecimal(a.amount)]),
      [
        ["INV-1", "100.00"],
        ["INV-2", "150.00"]
      ]
    )
    const chosen = Result.getOrThrow(
      allocateToChosen(
        eur(700_00),
        [{ invoiceId: InvoiceId.make("INV-3") }, { invoiceId: InvoiceId.make("INV-2"), amount: eur(50_00) }],
        invoices
      )
    )
    assert.deepEqual(
      chosen.allocations.map((a) => Money.toDecimal(a.amount)),
      ["300.00", "50.00"]
    )
    assert.equal(Money.toDecimal(chosen.unallocated), "350.00") // becomes account credit
    // #endregion
  })

  it("aging", () => {
    // #region aging
    const asOf = d("2026-06-30")
    const item = (daysPastDue: number, minor: number) => ({
      dueDate: LocalDate.addDays(asOf, -daysPastDue),
      open: eur(minor)
    })
    const items = [item(-3, 50_00), item(0, 10_00), item(1, 20_00), item(45, 30_00), item(95, 40_00)]
    const [report] = Result.getOrThrow(ageOpenItems(items, asOf))
    assert.deepEqual(
      report?.buckets.map((b) => `${b.label}: ${Money.toDecimal(b.amount)}`),
      ["current: 60.00", "1-30: 20.00", "31-60: 30.00", "61-90: 0.00", "over-90: 40.00"]
    )
    assert.equal(report && Money.toDecimal(report.total), "150.00")
    // other edges, validated: [15, 45] gives current, 1-15, 16-45, over-45
    const weekly = Result.getOrThrow(makeAgingConfig([15, 45]))
    const [custom] = Result.getOrThrow(ageOpenItems(items, asOf, weekly))
    assert.deepEqual(
      custom?.buckets.map((b) => b.label),
      ["current", "1-15", "16-45", "over-45"]
    )
    // #endregion
  })

  it("statement", () => {
    // #region statement
    const invoice = (id: string, issued: string, total: number) => ({
      id: InvoiceId.make(id),
      number: id,
      issueDate: d(issued),
      dueDate: LocalDate.addDays(d(issued), 30),
      currency: EUR,
      totals: { total: eur(total) }
    })
    const docs = {
      invoices: [
        invoice("INV-1", "2026-01-10", 100_00),
        invoice("INV-2", "2026-02-05", 50_00),
        invoice("INV-3", "2026-02-20", 30_00)
      ],
      creditNotes: [
        {
          id: CreditNoteId.make("CN-1"),
          number: "CN-1",
          issueDate: d("2026-02-12"),
          currency: EUR,
          invoiceId: InvoiceId.make("INV-2"),
          totals: { total: eur(10_00) }
        }
      ],
      payments: [
        {
          id: PaymentId.make("P-1"),
          reference: "BANK-77",
          receivedDate: d("2026-02-15"),
          amount: eur(120_00),
          allocations: [{ invoiceId: InvoiceId.make("INV-1"), amount: eur(100_00) }]
        }
      ],
      adjustments: [
        { kind: "void" as const, invoiceId: InvoiceId.make("INV-3"), date: d("2026-02-25") },
        { kind: "chargeback" as const, paymentId: PaymentId.make("P-1"), date: d("2026-02-27"), amount: eur(5_00) }
      ]
    }
    const february = { currency: EUR, from: d("2026-02-01"), to: d("2026-02-28") }
    const s = Result.getOrThrow(balanceForwardStatement(docs, february))
    // opening 100.00 + invoiced (50.00 + 30.00 - 30.00 void) - paid (120.00 - 5.00) - credited 10.00 = 25.00
    assert.deepEqual([s.opening, s.invoiced, s.paid, s.credited, s.closing].map(Money.toDecimal), [
      "100.00",
      "50.00",
      "115.00",
      "10.00",
      "25.00"
    ])
    assert.deepEqual(
      s.lines.map((l) => `${l.date} ${l.kind} ${l.reference} ${Money.toDecimal(l.balance)}`),
      [
        "2026-02-05 invoice INV-2 150.00",
        "2026-02-12 credit-note CN-1 140.00",
        "2026-02-15 payment BANK-77 20.00",
        "2026-02-20 invoice INV-3 50.00",
        "2026-02-25 void INV-3 20.00",
        "2026-02-27 chargeback BANK-77 25.00"
      ]
    )
    const items = Result.getOrThrow(openItemStatement(docs, february))
    assert.deepEqual(
      items.items.map((i) => `${i.kind} ${i.reference} ${Money.toDecimal(i.open)}`),
      ["invoice INV-2 40.00", "unallocated-payment BANK-77 -15.00"] // sums to the closing 25.00
    )
    // #endregion
  })
})
