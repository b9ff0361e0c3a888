// The customer pages over HTTP against the running starter (demo data): sign-in by magic link, the
// overview's figures, activity filters, a foreign invoice is 404, downloads are no-store attachments, a
// form without its CSRF token is refused, billing details and notification settings are kept.
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { createLink, csrfTokenOf, httpSession, signInAs } from "../e2e/support/HttpSession.ts"
import { Starter, starterLayer } from "../e2e/support/StarterHarness.ts"

const chromium = chromiumAvailability()
const text = (response: Response) => Effect.promise(() => response.text())

describe.skipIf(!chromium.available)("customer pages", () => {
  layer(starterLayer, { timeout: 180_000, excludeTestServices: true })((it) => {
    it.effect("a magic link signs Anna in; My account shows Northwind's balances and aging", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const session = httpSession(baseUrl)
        const page = yield* signInAs(session, baseUrl, "demo:K1")
        assert.strictEqual(page.status, 200)
        assert.strictEqual(page.headers.get("cache-control"), "no-store")
        const body = yield* text(page)
        assert.include(body, "Northwind Traders GmbH")
        assert.include(body, "€7,149.00")
        assert.include(body, "€2,270.00")
        assert.include(body, "€250.00")
        assert.include(body, "Initech Ltd")
        assert.notInclude(body, "<script>")
      })
    )

    it.effect("activity filters by status and search; a foreign invoice is 404; a PDF is a no-store attachment", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K1")
        const overdue = yield* text(yield* session.get("/activity?status=overdue"))
        for (const number of ["INV-1002", "INV-1003", "INV-1008"]) assert.include(overdue, number)
        assert.notInclude(overdue, ">INV-1004<")
        const search = yield* text(yield* session.get("/activity?q=PO-7731"))
        assert.include(search, "INV-1006")
        assert.notInclude(search, ">INV-1002<")
        const foreign = yield* session.get("/invoices/demo%3AINV-3001")
        assert.strictEqual(foreign.status, 404)
        const foreignPdf = yield* session.get("/invoices/demo%3AINV-3001/pdf")
        assert.strictEqual(foreignPdf.status, 404)
        const pdf = yield* session.get("/invoices/demo%3AINV-1004/pdf")
        assert.strictEqual(pdf.status, 200)
        assert.strictEqual(pdf.headers.get("content-type"), "application/pdf")
        assert.strictEqual(pdf.headers.get("cache-control"), "no-store")
        assert.include(pdf.headers.get("content-disposition") ?? "", "invoice-INV-1004.pdf")
        const bytes = new Uint8Array(yield* Effect.promise(() => pdf.arrayBuffer()))
        assert.strictEqual(Buffer.from(bytes.slice(0, 5)).toString("latin1"), "%PDF-")
      })
    )

    it.effect("a form without its CSRF token is refused; with it, billing details and notifications are kept", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K1")
        const refused = yield* session.post("/notifications", { monthlyStatement: "on" })
        assert.strictEqual(refused.status, 403)
        const form = yield* text(yield* session.get("/notifications"))
        const csrf = csrfTokenOf(form)
        assert.isDefined(csrf)
        const saved = yield* session.post("/notifications", { _csrf: csrf ?? "", monthlyStatement: "on" })
        assert.strictEqual(saved.status, 303)
        const after = yield* text(yield* session.follow(saved))
        assert.match(after, /name="monthlyStatement" value="on" checked/)
        assert.notMatch(after, /name="invoiceIssued" value="on" checked/)
        const billing = yield* session.post("/billing", {
          _csrf: csrf ?? "",
          name: "Anna Berger",
          phone: "+49 40 5550111",
          line1: "Speicherstadt 3",
          line2: "",
          postalCode: "20457",
          city: "Hamburg",
          country: "DE",
          email: "ap@northwind.example"
        })
        assert.strictEqual(billing.status, 303)
        const shown = yield* text(yield* session.follow(billing))
        assert.include(shown, "Speicherstadt 3")
        assert.include(shown, "+49 40 5550111")
        // a form that cannot be read is shown again with the reason, and nothing stored changes
        const blank = yield* session.post("/billing", { _csrf: csrf ?? "", name: "", line1: "Elsewhere 1" })
        assert.strictEqual(blank.status, 400)
        assert.include(yield* text(blank), "Enter your name.")
        const kept = yield* text(yield* session.get("/billing"))
        assert.include(kept, "Speicherstadt 3")
        assert.notInclude(kept, "Elsewhere 1")
      })
    )

    it.effect("a one-invoice link opens that invoice and nothing else", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const link = yield* createLink(baseUrl, { accountId: "demo:C1001", invoiceId: "demo:INV-1004" })
        assert.strictEqual(link.status, 201)
        const session = httpSession(baseUrl)
        const landing = yield* session.follow(yield* session.get(link.path))
        assert.strictEqual(landing.status, 200)
        assert.include(yield* text(landing), "Invoice INV-1004")
        assert.strictEqual((yield* session.get("/invoices/demo%3AINV-1003")).status, 404)
        const home = yield* session.get("/")
        assert.strictEqual(home.status, 303)
        assert.strictEqual(home.headers.get("location"), "/invoices/demo%3AINV-1004")
      })
    )

    it.effect("the viewer sees no download buttons and is refused the PDF", () =>
      Effect.gen(function* () {
        const { baseUrl } = yield* Starter
        const session = httpSession(baseUrl)
        yield* signInAs(session, baseUrl, "demo:K2")
        const detail = yield* text(yield* session.get("/invoices/demo%3AINV-1004"))
        assert.include(detail, "Invoice INV-1004")
        assert.notInclude(detail, "Download PDF")
        assert.strictEqual((yield* session.get("/invoices/demo%3AINV-1004/pdf")).status, 404)
      })
    )
  })
})
