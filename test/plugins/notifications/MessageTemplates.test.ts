// Rendering messages: localised subjects in en/de/fr/nl, exact amounts, every value escaped in the HTML part
// (not in the plain-text part), and the deep link in both parts.
import { assert, describe, it } from "@effect/vitest"
import fc from "fast-check"
import Handlebars from "handlebars"
import { currency } from "../../../core/domain/Currency.ts"
import { localDate } from "../../../core/domain/LocalDate.ts"
import {
  formatMoney,
  invoiceLink,
  type MessageFacts,
  type MessageLocale,
  renderMessage
} from "../../../plugins/notifications/index.ts"

const eur = currency("EUR")
const facts = (overrides: Partial<MessageFacts> = {}): MessageFacts => ({
  topic: "invoice-issued",
  locale: "en",
  contactName: "Anna",
  accountName: "Northwind",
  invoiceNumber: "INV-7",
  status: "open",
  dueDate: localDate("2026-03-31"),
  total: { currency: eur, minor: 123456 },
  open: { currency: eur, minor: 123456 },
  link: invoiceLink("https://portal.example.com/", "erp:INV-7"),
  ...overrides
})

describe("MessageTemplates", () => {
  it("writes subjects in each supported language", () => {
    const subjects = (locale: MessageLocale) => [
      renderMessage(facts({ locale })).subject,
      renderMessage(facts({ locale, topic: "status-changed", status: "paid" })).subject,
      renderMessage(facts({ locale, topic: "reminder", offsetDays: -3 })).subject,
      renderMessage(facts({ locale, topic: "reminder", offsetDays: 7 })).subject
    ]
    assert.deepStrictEqual(subjects("en"), [
      "New invoice INV-7",
      "Invoice INV-7: paid",
      "Invoice INV-7 is due on March 31, 2026",
      "Reminder: invoice INV-7 is overdue"
    ])
    assert.deepStrictEqual(subjects("de"), [
      "Neue Rechnung INV-7",
      "Rechnung INV-7: bezahlt",
      "Rechnung INV-7 ist am 31. März 2026 fällig",
      "Zahlungserinnerung: Rechnung INV-7 ist überfällig"
    ])
    assert.deepStrictEqual(subjects("fr"), [
      "Nouvelle facture INV-7",
      "Facture INV-7 : payée",
      "La facture INV-7 arrive à échéance le 31 mars 2026",
      "Rappel : la facture INV-7 est en retard"
    ])
    assert.deepStrictEqual(subjects("nl"), [
      "Nieuwe factuur INV-7",
      "Factuur INV-7: betaald",
      "Factuur INV-7 vervalt op 31 maart 2026",
      "Herinnering: factuur INV-7 is vervallen"
    ])
  })

  it("a reminder on the due date itself says the invoice is due, not overdue", () => {
    assert.strictEqual(
      renderMessage(facts({ topic: "reminder", offsetDays: 0 })).subject,
      "Invoice INV-7 is due on March 31, 2026"
    )
    assert.strictEqual(
      renderMessage(facts({ topic: "reminder", offsetDays: 1 })).subject,
      "Reminder: invoice INV-7 is overdue"
    )
  })

  it("formats amounts exactly in the reader's language, whatever the currency's minor unit", () => {
    assert.strictEqual(formatMoney({ currency: eur, minor: 123456 }, "en"), "€1,234.56")
    assert.strictEqual(formatMoney({ currency: eur, minor: 123456 }, "de"), "1.234,56\u00a0€")
    assert.strictEqual(formatMoney({ currency: currency("JPY"), minor: 5000 }, "en"), "¥5,000")
    // Beyond what a double holds exactly: the decimal string reaches Intl unchanged.
    assert.strictEqual(formatMoney({ currency: eur, minor: 900719925474099 }, "en"), "€9,007,199,254,740.99")
  })

  it("puts the deep link in both parts; the id is URL-encoded", () => {
    const message = renderMessage(facts({ link: invoiceLink("https://portal.example.com", 'erp:INV "7"/x') }))
    const link = "https://portal.example.com/invoices/erp%3AINV%20%227%22%2Fx"
    assert.include(message.text, `View the invoice: ${link}`)
    assert.include(message.html, `<a href="${link}">View the invoice</a>`)
  })

  it("escapes every value in the HTML part and keeps the plain text as written", () =>
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (name, number) => {
          const message = renderMessage(facts({ contactName: name, invoiceNumber: number, accountName: name }))
          assert.include(message.text, `Hello ${name},`)
          assert.include(message.html, Handlebars.escapeExpression(`Hello ${name},`))
          if (/[<>&"'`=]/.test(name)) assert.notInclude(message.html, `Hello ${name},`)
          assert.strictEqual(message.subject, `New invoice ${number}`)
        }
      ),
      { numRuns: 300 }
    ))
})
