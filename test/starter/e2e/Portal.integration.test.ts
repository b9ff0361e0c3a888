// The starter portal in a real browser (Chromium through playwright-core) against the running starter with
// the demo data: sign in by e-mail link, see only the account's own invoices, filter and search, open an
// invoice, download its PDF and a ZIP of three, open a statement, switch account; a foreign invoice URL is
// 404; expired, tampered and revoked links are refused; TOTP sign-in; a form without its CSRF token is
// refused. Screenshots of every page at desktop and phone widths go to test-output/screenshots/.
import { readFile } from "node:fs/promises"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Fiber, Layer, Schema } from "effect"
import JSZip from "jszip"
import * as OTPAuth from "otpauth"
import type { BrowserContext, Page } from "playwright-core"
import { extractText } from "unpdf"
import { newLinkId, sign } from "../../../core/access/SignedLink.ts"
import { CurrencyCode } from "../../../core/domain/Currency.ts"
import { AccountId, ContactId, InvoiceId } from "../../../core/domain/Ids.ts"
import { type DomainEvent, DomainEvents } from "../../../core/events/DomainEvents.ts"
import { DevMailbox } from "../../../starter/auth/Mailer.ts"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { Browser, screenshots, viewports } from "./support/Browser.ts"
import { createLink } from "./support/HttpSession.ts"
import { Starter, starterLayer, testApiKey } from "./support/StarterHarness.ts"

const chromium = chromiumAvailability()
const run = <A>(f: () => Promise<A>) => Effect.promise(f)

/** A fresh browser context (its own cookies) and page. */
const newPage = Effect.gen(function* () {
  const browser = yield* Browser
  return yield* Effect.acquireRelease(
    run(async () => {
      const context: BrowserContext = await browser.newContext({ viewport: viewports.desktop, acceptDownloads: true })
      return { context, page: await context.newPage() }
    }),
    ({ context }) => Effect.promise(() => context.close())
  )
})

/** Signs in through the e-mail form and the demo mailbox, as a customer would; waits on the mail's delivery. */
const signInByEmail = (page: Page, baseUrl: string, email: string) =>
  Effect.gen(function* () {
    const mailbox = yield* DevMailbox
    yield* run(() => page.goto(`${baseUrl}/sign-in`))
    yield* run(() => page.fill("#email", email))
    const delivered = yield* Effect.forkChild(mailbox.next(email))
    yield* Effect.yieldNow
    yield* run(() => Promise.all([page.waitForURL("**/sign-in/sent"), page.click("button[type=submit]")]))
    yield* Fiber.join(delivered)
    yield* run(() => page.goto(`${baseUrl}/dev/mail`))
    // The mail's link names the configured public URL; the harness listens on a free port, so the test
    // follows the link's path on the real address.
    const href = (yield* run(() => page.locator("a[href*='/auth/email']").first().getAttribute("href"))) ?? ""
    const link = new URL(href)
    yield* run(() => page.goto(`${baseUrl}${link.pathname}${link.search}`))
    yield* run(() => Promise.all([page.waitForLoadState("load"), page.click("main button[type=submit]")]))
  })

const pdfText = async (bytes: Uint8Array) => (await extractText(new Uint8Array(bytes), { mergePages: true })).text

describe.skipIf(!chromium.available)("the starter portal in Chromium", () => {
  layer(Layer.mergeAll(starterLayer, Browser.layer), { timeout: 240_000, excludeTestServices: true })((it) => {
    it.effect(
      "sign in by e-mail link, see only Northwind's invoices, filter, search, open one and download its PDF",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { baseUrl } = yield* Starter
            const { page } = yield* newPage
            yield* run(() => page.goto(`${baseUrl}/sign-in`))
            yield* run(() => screenshots(page, "sign-in"))
            yield* signInByEmail(page, baseUrl, "anna@northwind.example")
            assert.strictEqual(new URL(page.url()).pathname, "/")
            assert.include(yield* run(() => page.textContent("main")), "Northwind Traders GmbH")
            yield* run(() => screenshots(page, "my-account"))

            yield* run(() => page.click("nav >> text=Activity"))
            const numbers = yield* run(() => page.locator("table.data tbody th a").allTextContents())
            assert.deepStrictEqual([...numbers].sort(), [
              "INV-1001",
              "INV-1002",
              "INV-1003",
              "INV-1004",
              "INV-1005",
              "INV-1006",
              "INV-1007",
              "INV-1008"
            ])
            yield* run(() => screenshots(page, "activity"))

            yield* run(() => page.check("input[name=status][value=overdue]"))
            yield* run(() =>
              Promise.all([page.waitForURL("**/activity?*"), page.click("form.filters button[type=submit]")])
            )
            const overdue = yield* run(() => page.locator("table.data tbody th a").allTextContents())
            assert.deepStrictEqual([...overdue].sort(), ["INV-1002", "INV-1003", "INV-1008"])

            yield* run(() => page.goto(`${baseUrl}/activity`))
            yield* run(() => page.fill("input[name=q]", "PO-7731"))
            yield* run(() =>
              Promise.all([page.waitForURL("**/activity?*"), page.click("form.filters button[type=submit]")])
            )
            assert.deepStrictEqual(yield* run(() => page.locator("table.data tbody th a").allTextContents()), [
              "INV-1006"
            ])

            yield* run(() => Promise.all([page.waitForURL("**/invoices/**"), page.click("text=INV-1006")]))
            yield* run(() => page.goto(`${baseUrl}/invoices/demo%3AINV-1002`))
            assert.include(yield* run(() => page.textContent("h1")), "INV-1002")
            yield* run(() => screenshots(page, "invoice"))
            const download = yield* run(() =>
              Promise.all([page.waitForEvent("download"), page.click("text=Download PDF")]).then(([d]) => d)
            )
            assert.strictEqual(download.suggestedFilename(), "invoice-INV-1002.pdf")
            const bytes = new Uint8Array(yield* run(async () => readFile((await download.path()) ?? "")))
            assert.strictEqual(Buffer.from(bytes.slice(0, 5)).toString("latin1"), "%PDF-")
            assert.include(yield* run(() => pdfText(bytes)), "INV-1002")

            const foreign = yield* run(() => page.goto(`${baseUrl}/invoices/demo%3AINV-3001`))
            assert.strictEqual(foreign?.status(), 404)
          })
        )
    )

    it.effect("select three invoices and download them as one ZIP; open a statement; switch account", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { baseUrl } = yield* Starter
          const { page } = yield* newPage
          const link = yield* createLink(baseUrl, { contactId: "demo:K1" })
          yield* run(() => page.goto(`${baseUrl}${link.path}`))
          yield* run(() => page.goto(`${baseUrl}/activity`))
          for (const number of ["INV-1002", "INV-1003", "INV-1004"]) {
            yield* run(() => page.check(`input[aria-label="Select ${number}"]`))
          }
          const download = yield* run(() =>
            Promise.all([page.waitForEvent("download"), page.click("button[value=zip]")]).then(([d]) => d)
          )
          const zip = yield* run(async () => JSZip.loadAsync(await readFile((await download.path()) ?? "")))
          const pdfs = Object.keys(zip.files)
            .filter((name) => name.endsWith(".pdf"))
            .sort()
          assert.deepStrictEqual(pdfs, ["invoice-INV-1002.pdf", "invoice-INV-1003.pdf", "invoice-INV-1004.pdf"])
          const first = yield* run(
            async () => (await zip.file("invoice-INV-1003.pdf")?.async("uint8array")) ?? new Uint8Array()
          )
          assert.include(yield* run(() => pdfText(first)), "INV-1003")

          yield* run(() => page.click("nav >> text=Statements"))
          assert.include(yield* run(() => page.textContent("main")), "Closing balance")
          yield* run(() => screenshots(page, "statement"))
          yield* run(() => page.selectOption("select[name=style]", "balance-forward"))
          yield* run(() =>
            Promise.all([page.waitForURL("**/statements?*"), page.click("form.filters button[type=submit]")])
          )
          assert.include(yield* run(() => page.textContent("main")), "Movements")
          yield* run(() => page.click("nav >> text=Documents"))
          yield* run(() => screenshots(page, "documents"))
          yield* run(() => page.click("nav >> text=Billing details"))
          yield* run(() => screenshots(page, "billing-details"))
          yield* run(() => page.click("nav >> text=Notifications"))
          yield* run(() => screenshots(page, "notifications"))

          yield* run(() => page.goto(`${baseUrl}/`))
          yield* run(() => page.selectOption("#account-switcher", "demo:C1003"))
          yield* run(() => Promise.all([page.waitForLoadState("load"), page.click(".account-switcher button")]))
          assert.include(yield* run(() => page.textContent("main h1")), "Initech Ltd")
          yield* run(() => page.goto(`${baseUrl}/activity`))
          const numbers = yield* run(() => page.locator("table.data tbody th a").allTextContents())
          assert.deepStrictEqual([...numbers].sort(), ["INV-4001", "INV-4002", "INV-4003"])
        })
      )
    )

    it.effect("live status: a change published by the sync engine updates the invoice page that is open", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { baseUrl } = yield* Starter
          const bus = yield* DomainEvents
          const { page } = yield* newPage
          const link = yield* createLink(baseUrl, { contactId: "demo:K1" })
          yield* run(() => page.goto(`${baseUrl}${link.path}`))
          yield* run(() =>
            Promise.all([
              page.waitForResponse((response) => response.url().endsWith("/events")),
              page.goto(`${baseUrl}/invoices/demo%3AINV-1006`)
            ])
          )
          const changed = (invoiceId: string, accountId: string): DomainEvent => ({
            _tag: "InvoiceChanged",
            change: "updated",
            invoiceId: InvoiceId.make(invoiceId),
            accountId: AccountId.make(accountId),
            source: { source: "demo", externalId: invoiceId.slice(5) },
            status: "paid",
            open: { currency: Schema.decodeUnknownSync(CurrencyCode)("EUR"), minor: 0 },
            events: []
          })
          // The stream subscribes once the page's EventSource is connected; publish until the page shows it
          // (each wait is on the page, bounded), the foreign change first every time.
          let shown = false
          for (let attempt = 0; attempt < 20 && !shown; attempt++) {
            yield* bus.publishAll([changed("demo:INV-3004", "demo:C1002"), changed("demo:INV-1006", "demo:C1001")])
            shown = yield* run(() =>
              page
                .waitForSelector(".status-cell .badge[data-status=paid]", { timeout: 500 })
                .then(() => true)
                .catch(() => false)
            )
          }
          assert.isTrue(shown)
          assert.strictEqual(
            yield* run(() => page.textContent(".live-status")),
            "An invoice on this page was just updated."
          )
          assert.include(yield* run(() => page.textContent(".fields .open-cell")), "0.00")
        })
      )
    )

    it.effect("expired, tampered and revoked links are refused", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { baseUrl, linkKeys } = yield* Starter
          const { page } = yield* newPage
          const expired = sign(linkKeys, {
            id: newLinkId(),
            accountId: AccountId.make("demo:C1001"),
            contactId: ContactId.make("demo:K1"),
            permissions: ["view-invoices"],
            expiresAt: Date.now() - 60_000
          })
          const refusedExpired = yield* run(() =>
            page.goto(`${baseUrl}/auth/link?token=${encodeURIComponent(expired)}`)
          )
          assert.strictEqual(refusedExpired?.status(), 403)
          assert.include(yield* run(() => page.textContent("h1")), "cannot be used")
          yield* run(() => screenshots(page, "link-refused"))

          const valid = yield* createLink(baseUrl, { accountId: "demo:C1001" })
          const token = new URL(valid.path, baseUrl).searchParams.get("token") ?? ""
          const last = token.at(-2) === "A" ? "B" : "A"
          const tampered = `${token.slice(0, -2)}${last}${token.slice(-1)}`
          const refusedTampered = yield* run(() =>
            page.goto(`${baseUrl}/auth/link?token=${encodeURIComponent(tampered)}`)
          )
          assert.strictEqual(refusedTampered?.status(), 403)

          const revoke = yield* run(() =>
            fetch(new URL(`/api/links/${encodeURIComponent(valid.id)}`, baseUrl), {
              method: "DELETE",
              headers: { authorization: `Bearer ${testApiKey}` }
            })
          )
          assert.strictEqual(revoke.status, 200)
          const refusedRevoked = yield* run(() => page.goto(`${baseUrl}${valid.path}`))
          assert.strictEqual(refusedRevoked?.status(), 403)
          const home = yield* run(() => page.goto(`${baseUrl}/`))
          assert.strictEqual(new URL(home?.url() ?? "").pathname, "/sign-in")
        })
      )
    )

    it.effect("a contact turns on TOTP and then signs in with a code; a form without its CSRF token is refused", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { baseUrl } = yield* Starter
          const { page } = yield* newPage
          yield* signInByEmail(page, baseUrl, "emi@kaiju.example")
          yield* run(() => page.goto(`${baseUrl}/account/security`))
          yield* run(() => Promise.all([page.waitForLoadState("load"), page.click("text=Turn on two-factor sign-in")]))
          const secret = ((yield* run(() => page.textContent(".secret"))) ?? "").replace(/\s+/g, "")
          const totp = new OTPAuth.TOTP({
            secret: OTPAuth.Secret.fromBase32(secret),
            digits: 6,
            period: 30,
            algorithm: "SHA1"
          })
          yield* run(() => page.fill("#code", totp.generate()))
          yield* run(() => Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]))
          assert.include(yield* run(() => page.textContent("h1")), "Two-factor sign-in is on")

          const fresh = yield* newPage
          yield* signInByEmail(fresh.page, baseUrl, "emi@kaiju.example")
          assert.strictEqual(new URL(fresh.page.url()).pathname, "/sign-in/second-factor")
          // The next period's code: the enrolment used this period's, and a code is accepted once.
          yield* run(() => fresh.page.fill("#code", totp.generate({ timestamp: Date.now() + 30_000 })))
          yield* run(() => Promise.all([fresh.page.waitForLoadState("load"), fresh.page.click("button[type=submit]")]))
          assert.strictEqual(new URL(fresh.page.url()).pathname, "/")
          assert.include(yield* run(() => fresh.page.textContent("main h1")), "Kaiju Foods KK")

          yield* run(() => fresh.page.goto(`${baseUrl}/notifications`))
          yield* run(() => fresh.page.evaluate("document.querySelector('main input[name=_csrf]')?.remove()"))
          const [refused] = yield* run(() =>
            Promise.all([
              fresh.page.waitForResponse((r) => r.url().endsWith("/notifications") && r.request().method() === "POST"),
              fresh.page.click("main button[type=submit]")
            ])
          )
          assert.strictEqual(refused.status(), 403)
        })
      )
    )
  })
})
