// Paying two invoices in one payment, clicked through in Chromium against the starter with the payments
// plugin and the fake Stripe: the activity list's Pay link, a second invoice ticked on the pay page, the pay
// form's redirect straight to Stripe's hosted checkout (the fake's page, which the payer completes; the
// portal's CSP form-action must let the browser go there), the way back to the confirmation page, and the
// receipt PDF downloaded from it.
import { readFile } from "node:fs/promises"
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import type { BrowserContext } from "playwright-core"
import { extractText } from "unpdf"
import { chromiumAvailability } from "../../support/Requirements.ts"
import { paymentPortal, Stripe, seedAccount } from "../plugins/support/PaymentPortal.ts"
import { PortalUrl } from "../plugins/support/PluginPortal.ts"
import { Browser, viewports } from "./support/Browser.ts"
import { createLink } from "./support/HttpSession.ts"

const chromium = chromiumAvailability()
const run = <A>(f: () => Promise<A>) => Effect.promise(f)

describe.skipIf(!chromium.available)("paying in the starter portal in Chromium", () => {
  layer(Layer.mergeAll(paymentPortal({ receiptFormat: "pdf" }), Browser.layer), {
    timeout: 240_000,
    excludeTestServices: true
  })((it) => {
    it.effect("ticks two invoices, pays them at Stripe in one payment, and downloads the receipt PDF", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { baseUrl } = yield* PortalUrl
          const stripe = yield* Stripe
          const browser = yield* Browser
          yield* seedAccount({
            accountId: "flux",
            invoices: [
              { id: "flux-1", accountId: "flux", total: 11_900, dueDate: "2026-01-20" },
              { id: "flux-2", accountId: "flux", total: 4_250, dueDate: "2026-02-20" }
            ]
          })
          const { context } = yield* Effect.acquireRelease(
            run(async () => {
              const context: BrowserContext = await browser.newContext({
                viewport: viewports.desktop,
                acceptDownloads: true
              })
              return { context }
            }),
            ({ context }) => Effect.promise(() => context.close())
          )
          const page = yield* run(() => context.newPage())
          const link = yield* createLink(baseUrl, { contactId: "flux-payer" })
          yield* run(() => page.goto(`${baseUrl}${link.path}`))
          yield* run(() => page.goto(`${baseUrl}/activity`))
          yield* run(() =>
            Promise.all([page.waitForURL("**/plugins/payments/pay?*"), page.click('a[aria-label="Pay FLUX-1"]')])
          )
          assert.isTrue(yield* run(() => page.isChecked('input[name=invoice][value="flux-1"]')))
          yield* run(() => page.check('input[name=invoice][value="flux-2"]'))
          yield* run(() =>
            Promise.all([page.waitForURL("**/plugins/payments/paid?*"), page.click("text=Pay selected invoices")])
          )
          assert.strictEqual(stripe.sessions().length, 1)
          assert.strictEqual(stripe.sessions()[0]?.status, "complete")
          assert.include(yield* run(() => page.textContent("main")), "Your payment of EUR 161.50 is received")

          const sql = yield* SqlClient.SqlClient
          const statuses = yield* sql<{ id: string; status: string }>`
            select id, status from portico.invoices where account_id = ${"flux"} order by id`
          assert.deepStrictEqual(
            statuses.map((row) => [row.id, row.status]),
            [
              ["flux-1", "paid"],
              ["flux-2", "paid"]
            ]
          )

          // the portal's worker renders the receipt PDF; the page offers it once it is there
          yield* run(() => page.reload()).pipe(
            Effect.andThen(run(() => page.locator("text=Download the receipt").count())),
            Effect.filterOrFail((count) => count > 0),
            Effect.retry({ schedule: Schedule.spaced("200 millis"), times: 300 })
          )
          const download = yield* run(() =>
            Promise.all([page.waitForEvent("download"), page.click("text=Download the receipt")]).then(([d]) => d)
          )
          assert.match(download.suggestedFilename(), /\.pdf$/)
          const bytes = new Uint8Array(yield* run(async () => readFile((await download.path()) ?? "")))
          assert.strictEqual(Buffer.from(bytes.slice(0, 5)).toString("latin1"), "%PDF-")
          const text = yield* run(async () => (await extractText(bytes, { mergePages: true })).text)
          assert.include(text, "FLUX-1")
          assert.include(text, "FLUX-2")
        })
      )
    )
  })
})
