// The payer's pages of the payments plugin in the starter over real HTTP, against the fake Stripe: pay two
// invoices in one payment (both paid, the receipt downloadable), a repeated submit finds the same checkout,
// part payments below the minimum and wrong amounts are refused with the form again (422), an advance
// payment becomes credit that is then applied, AutoPay is enrolled, changed and left, another account's
// invoice, confirmation and receipt are not found, and a form without its CSRF token is refused.
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { csrfTokenOf, type HttpSession, httpSession, signInAs } from "../e2e/support/HttpSession.ts"
import { completeCheckout, paymentPortal, Stripe, seedAccount } from "./support/PaymentPortal.ts"
import { PortalUrl } from "./support/PluginPortal.ts"

const portalLayer = paymentPortal({ receiptFormat: "html" })

const text = (response: Response) => Effect.promise(() => response.text())

/** A signed-in payer of `accountId` (its contact `<accountId>-payer`). */
const payerOf = (accountId: string) =>
  Effect.gen(function* () {
    const { baseUrl } = yield* PortalUrl
    const session = httpSession(baseUrl)
    const landing = yield* signInAs(session, baseUrl, `${accountId}-payer`)
    assert.strictEqual(landing.status, 200)
    return session
  })

/** The page at `path` and its CSRF token. */
const pageOf = (session: HttpSession, path: string) =>
  Effect.gen(function* () {
    const response = yield* session.get(path)
    const body = yield* text(response)
    return { status: response.status, body, csrf: csrfTokenOf(body) ?? "", attempt: attemptOf(body) }
  })

const attemptOf = (page: string): string => /name="attempt" value="([^"]+)"/.exec(page)?.[1] ?? ""

const invoiceRow = (id: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ status: string; open_minor: string | number }>`
      select status, open_minor from portico.invoices where id = ${id}`
    return rows.map((row) => [row.status, Number(row.open_minor)])
  })

/** Starts a payment from the pay page's form; gives the response (a 303 to Stripe when accepted). */
const submitPay = (session: HttpSession, fields: Record<string, string | ReadonlyArray<string>>) =>
  Effect.gen(function* () {
    const page = yield* pageOf(session, "/plugins/payments/pay")
    return yield* session.post("/plugins/payments/pay", { _csrf: page.csrf, attempt: page.attempt, ...fields })
  })

/**
 * A form's answer that starts a checkout: a 303 straight to the fake Stripe's hosted checkout (the portal's
 * CSP lets forms go there); gives the checkout's URL.
 */
const toStripe = (started: Response) =>
  Effect.gen(function* () {
    const stripe = yield* Stripe
    assert.strictEqual(started.status, 303)
    const checkoutUrl = started.headers.get("location") ?? ""
    assert.isTrue(checkoutUrl.startsWith(`${stripe.server.origin}/c/`), checkoutUrl)
    return checkoutUrl
  })

/** Pays at Stripe and comes back through the portal's return route; gives the confirmation page's path. */
const payAtStripe = (session: HttpSession, checkout: Response) =>
  Effect.gen(function* () {
    const back = yield* completeCheckout(yield* toStripe(checkout))
    const returned = yield* session.get(back)
    assert.strictEqual(returned.status, 303)
    return returned.headers.get("location") ?? ""
  })

describe("the payer's pages in the starter", () => {
  layer(portalLayer, { timeout: 120_000, excludeTestServices: true })((it) => {
    it.effect("pays two invoices in one payment from the pay page; both are paid and the receipt downloads", () =>
      Effect.gen(function* () {
        const stripe = yield* Stripe
        yield* seedAccount({
          accountId: "acme",
          invoices: [
            { id: "acme-1", accountId: "acme", total: 11_900, dueDate: "2026-01-20" },
            { id: "acme-2", accountId: "acme", total: 5_000, dueDate: "2026-01-31" }
          ]
        })
        const session = yield* payerOf("acme")

        // the portal's own pages link to the plugin's pay page for open invoices
        const activity = yield* text(yield* session.get("/activity"))
        assert.include(activity, 'href="/plugins/payments/pay?invoice=acme-1"')
        const detail = yield* text(yield* session.get("/invoices/acme-2"))
        assert.include(detail, 'href="/plugins/payments/pay?invoice=acme-2"')

        const chosen = yield* pageOf(session, "/plugins/payments/pay?invoice=acme-2")
        assert.strictEqual(chosen.status, 200)
        assert.match(chosen.body, /value="acme-2" checked/)
        assert.include(chosen.body, "Pay everything open in EUR (EUR 169.00, oldest due first)")

        const fields = { action: "selected", invoice: ["acme-1", "acme-2"], "amount-acme-1": "", "amount-acme-2": "" }
        const form = { _csrf: chosen.csrf, attempt: chosen.attempt, ...fields }
        const checkout = yield* session.post("/plugins/payments/pay", form)
        const checkoutUrl = yield* toStripe(checkout)
        assert.isTrue(checkoutUrl.startsWith(`${stripe.server.origin}/c/pay/`), checkoutUrl)
        // the page the form is on lets it send the browser to Stripe's checkout, and to nowhere else
        const csp = (yield* session.get("/plugins/payments/pay")).headers.get("content-security-policy") ?? ""
        assert.include(csp, `; form-action 'self' https://checkout.stripe.com ${stripe.server.origin};`)
        // the same form submitted again finds the same checkout instead of starting a second one
        const again = yield* session.post("/plugins/payments/pay", form)
        assert.strictEqual(again.headers.get("location"), checkout.headers.get("location"))
        assert.strictEqual(yield* toStripe(again), checkoutUrl)
        const started = stripe.sessions().find((s) => checkoutUrl.endsWith(String(s.id)))
        assert.strictEqual(started?.amount_total, 16_900)
        assert.strictEqual(stripe.sessions().length, 1)

        const back = yield* completeCheckout(checkoutUrl)
        const returned = yield* session.get(back)
        assert.strictEqual(returned.status, 303)
        const paidPath = returned.headers.get("location") ?? ""
        assert.match(paidPath, /^\/plugins\/payments\/paid\?intent=pi-/)
        assert.deepStrictEqual(yield* invoiceRow("acme-1"), [["paid", 0]])
        assert.deepStrictEqual(yield* invoiceRow("acme-2"), [["paid", 0]])

        // the portal's worker renders the receipt; the confirmation page offers it once it is there
        const confirmation = yield* pageOf(session, paidPath).pipe(
          Effect.filterOrFail((page) => page.body.includes("Download the receipt")),
          Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 200 })
        )
        assert.include(confirmation.body, "Your payment of EUR 169.00 is received")
        const receiptPath = /href="(\/plugins\/payments\/receipts\/[^"]+)"/.exec(confirmation.body)?.[1] ?? ""
        const receipt = yield* session.get(receiptPath.replace(/&amp;/g, "&"))
        assert.strictEqual(receipt.status, 200)
        assert.match(receipt.headers.get("content-disposition") ?? "", /^attachment; filename="/)
        assert.strictEqual(receipt.headers.get("cache-control"), "no-store")
        const receiptText = yield* text(receipt)
        assert.include(receiptText, "ACME-1")
        assert.include(receiptText, "ACME-2")
        assert.include(receiptText, "169.00")

        // paid invoices have no pay link any more
        const after = yield* text(yield* session.get("/invoices/acme-2"))
        assert.notInclude(after, "/plugins/payments/pay?invoice=")
      })
    )

    it.effect(
      "refuses a part payment below the minimum and wrong amounts with the form again; takes a valid part",
      () =>
        Effect.gen(function* () {
          yield* seedAccount({
            accountId: "bolt",
            invoices: [{ id: "bolt-1", accountId: "bolt", total: 11_900 }]
          })
          const session = yield* payerOf("bolt")
          const part = (amount: string) =>
            submitPay(session, { action: "selected", invoice: "bolt-1", "amount-bolt-1": amount })
          const refusal = (amount: string) =>
            Effect.gen(function* () {
              const response = yield* part(amount)
              const body = yield* text(response)
              return {
                status: response.status,
                error: /<p class="error" role="alert">([^<]*)<\/p>/.exec(body)?.[1],
                body
              }
            })

          const below = yield* refusal("5.00")
          assert.strictEqual(below.status, 422)
          assert.strictEqual(
            below.error,
            "A part payment of BOLT-1 must be at least EUR 10.00; pay at least that, or the whole open balance."
          )
          // the form comes back as it was sent
          assert.match(below.body, /value="bolt-1" checked/)
          assert.include(below.body, 'name="amount-bolt-1" value="5.00"')

          const comma = yield* refusal("12,50")
          assert.deepStrictEqual(
            [comma.status, comma.error],
            [422, "Write the amount for BOLT-1 as digits with a &quot;.&quot; before the cents, such as 12.50."]
          )
          const above = yield* refusal("119.01")
          assert.deepStrictEqual(
            [above.status, above.error],
            [422, "The amount for BOLT-1 is more than the EUR 119.00 open on it."]
          )
          const decimals = yield* refusal("20.001")
          assert.deepStrictEqual(
            [decimals.status, decimals.error],
            [422, "The amount for BOLT-1 has too many decimals: EUR has 2 decimal places."]
          )
          const none = yield* submitPay(session, { action: "selected" })
          assert.strictEqual(none.status, 422)

          const valid = yield* part("10.00")
          const paidPath = yield* payAtStripe(session, valid)
          const paid = yield* pageOf(session, paidPath)
          assert.include(paid.body, "Your payment of EUR 10.00 is received")
          assert.deepStrictEqual(yield* invoiceRow("bolt-1"), [["partially-paid", 10_900]])
        })
    )

    it.effect("an advance payment becomes account credit, which the payer then applies to a chosen invoice", () =>
      Effect.gen(function* () {
        yield* seedAccount({ accountId: "crest", invoices: [] })
        const session = yield* payerOf("crest")
        const empty = yield* pageOf(session, "/plugins/payments/pay")
        assert.include(empty.body, "Nothing is open on this account.")

        const advance = yield* submitPay(session, { action: "amount", advance: "50.00" })
        const paidPath = yield* payAtStripe(session, advance)
        assert.include((yield* pageOf(session, paidPath)).body, "is received and is on your account as credit")

        yield* seedAccount({
          accountId: "crest",
          invoices: [
            { id: "crest-1", accountId: "crest", total: 11_900, dueDate: "2026-01-10" },
            { id: "crest-2", accountId: "crest", total: 3_000, dueDate: "2026-03-10" }
          ]
        })
        const withCredit = yield* pageOf(session, "/plugins/payments/pay")
        assert.include(withCredit.body, '<strong class="credit-amount">EUR 50.00</strong>')
        // applied to the later invoice the payer chose, not to the oldest one
        const applied = yield* session.post("/plugins/payments/credit", {
          _csrf: withCredit.csrf,
          currency: "EUR",
          invoice: "crest-2"
        })
        assert.strictEqual(applied.status, 303)
        const notice = yield* text(yield* session.follow(applied))
        assert.include(notice, "EUR 30.00 of your credit is applied.")
        assert.include(notice, '<strong class="credit-amount">EUR 20.00</strong>')
        assert.deepStrictEqual(yield* invoiceRow("crest-2"), [["paid", 0]])
        assert.deepStrictEqual(yield* invoiceRow("crest-1"), [["open", 11_900]])
      })
    )

    it.effect("AutoPay: save a card at Stripe, enrol with a maximum, change it, pay early, and leave", () =>
      Effect.gen(function* () {
        yield* seedAccount({ accountId: "dune", invoices: [{ id: "dune-1", accountId: "dune", total: 2_000 }] })
        const session = yield* payerOf("dune")
        const off = yield* pageOf(session, "/plugins/payments/autopay")
        assert.include(off.body, "AutoPay is <strong>off</strong>")

        const setup = yield* session.post("/plugins/payments/autopay/method", { _csrf: off.csrf, attempt: off.attempt })
        const back = yield* completeCheckout(yield* toStripe(setup))
        const saved = yield* text(yield* session.follow(yield* session.get(back)))
        assert.include(saved, "Your payment method is saved.")
        assert.include(saved, "visa •••• 4242")
        const method = /name="method" value="([^"]+)"/.exec(saved)?.[1] ?? ""

        const enrol = (max: string) =>
          Effect.gen(function* () {
            const page = yield* pageOf(session, "/plugins/payments/autopay")
            return yield* session.post("/plugins/payments/autopay/enrol", { _csrf: page.csrf, method, max })
          })
        const enrolled = yield* enrol("500.00")
        assert.strictEqual(enrolled.status, 303)
        const on = yield* text(yield* session.follow(enrolled))
        assert.include(on, "AutoPay is <strong>on</strong>")
        assert.include(on, "up to EUR 500.00 each run")

        const wrong = yield* enrol("lots")
        assert.strictEqual(wrong.status, 422)
        assert.include(yield* text(wrong), "Write the maximum as digits")
        const changed = yield* text(yield* session.follow(yield* enrol("750")))
        assert.include(changed, "up to EUR 750.00 each run")

        // on AutoPay, paying early stays possible
        const pay = yield* pageOf(session, "/plugins/payments/pay")
        assert.include(
          pay.body,
          "This account is on AutoPay (up to EUR 750.00 each run). You can still pay early here."
        )
        const early = yield* submitPay(session, { action: "selected", invoice: "dune-1" })
        yield* payAtStripe(session, early)
        assert.deepStrictEqual(yield* invoiceRow("dune-1"), [["paid", 0]])

        const leavePage = yield* pageOf(session, "/plugins/payments/autopay")
        const left = yield* session.post("/plugins/payments/autopay/leave", { _csrf: leavePage.csrf })
        assert.strictEqual(left.status, 303)
        const offAgain = yield* text(yield* session.follow(left))
        assert.include(offAgain, "You have left AutoPay")
        assert.include(offAgain, "AutoPay is <strong>off</strong>")
        const sql = yield* SqlClient.SqlClient
        assert.deepStrictEqual(
          yield* sql`select account_id from portico.autopay_enrolments where account_id = ${"dune"}`,
          []
        )
      })
    )

    it.effect("another account's invoice, confirmation and receipt are not found; no CSRF token, no change", () =>
      Effect.gen(function* () {
        yield* seedAccount({ accountId: "east", invoices: [{ id: "east-1", accountId: "east", total: 4_000 }] })
        yield* seedAccount({ accountId: "west", invoices: [{ id: "west-1", accountId: "west", total: 6_000 }] })
        const east = yield* payerOf("east")
        const west = yield* payerOf("west")

        // west pays its own invoice: a confirmation and a receipt exist for west
        const paidPath = yield* payAtStripe(west, yield* submitPay(west, { action: "selected", invoice: "west-1" }))
        const westPaid = yield* pageOf(west, paidPath).pipe(
          Effect.filterOrFail((page) => page.body.includes("Download the receipt")),
          Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 200 })
        )
        const receiptPath = /href="(\/plugins\/payments\/receipts\/[^"]+)"/.exec(westPaid.body)?.[1] ?? ""
        assert.strictEqual((yield* west.get(receiptPath)).status, 200)

        assert.strictEqual((yield* east.get("/plugins/payments/pay?invoice=west-1")).status, 404)
        const foreign = yield* submitPay(east, { action: "selected", invoice: "west-1" })
        assert.strictEqual(foreign.status, 404)
        const mixed = yield* submitPay(east, { action: "selected", invoice: ["east-1", "west-1"] })
        assert.strictEqual(mixed.status, 404)
        assert.strictEqual((yield* east.get(paidPath)).status, 404)
        assert.strictEqual((yield* east.get(receiptPath)).status, 404)
        assert.deepStrictEqual(yield* invoiceRow("west-1"), [["paid", 0]])

        const page = yield* pageOf(east, "/plugins/payments/pay")
        const forged = yield* east.post("/plugins/payments/pay", {
          attempt: page.attempt,
          action: "selected",
          invoice: "east-1"
        })
        assert.strictEqual(forged.status, 403)
        const wrongToken = yield* east.post("/plugins/payments/autopay/leave", { _csrf: "not-the-token" })
        assert.strictEqual(wrongToken.status, 403)
        assert.deepStrictEqual(yield* invoiceRow("east-1"), [["open", 4_000]])
        // a visitor without a session is sent to sign in
        const { baseUrl } = yield* PortalUrl
        assert.strictEqual((yield* httpSession(baseUrl).get("/plugins/payments/pay")).status, 303)
      })
    )
  })
})
