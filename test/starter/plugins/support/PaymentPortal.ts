// The starter portal with the payments plugin switched on by its config, against the fake Stripe on
// 127.0.0.1, for the payer's pages over HTTP and in Chromium: the portal, the fake, seeding an account with
// its paying contact and invoices, and the hosted checkout's way back (where Stripe would send the payer).
import { createServer } from "node:net"
import { Context, Effect, Layer } from "effect"
import { CurrentPrincipal, system } from "../../../../core/access/Principal.ts"
import { type FakeStripe, fakeStripe } from "../../../plugins/payments/FakeStripe.ts"
import { seed } from "../../../plugins/payments/support/PaymentsHarness.ts"
import { configFile, pgliteStore, pluginPortal } from "./PluginPortal.ts"

/** The fake Stripe the portal talks to. */
export class Stripe extends Context.Service<Stripe, FakeStripe>()("test/starter/plugins/PaymentPortal/Stripe") {}

/**
 * A port free now, for a portal whose public URL (where the provider sends the payer back) must name the
 * port it listens on: a browser follows that URL from Stripe's checkout.
 */
const freePort = Effect.callback<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** The starter with the payments plugin (EUR part payments of at least 10.00) over PGlite, and its Stripe. */
export const paymentPortal = (options: { readonly receiptFormat: string }) =>
  Layer.unwrap(
    Effect.gen(function* () {
      const stripe = yield* Stripe
      const plugins = {
        payments: {
          provider: {
            kind: "stripe",
            secretKey: stripe.secretKey,
            webhookSecret: stripe.webhookSecret,
            apiBaseUrl: stripe.server.origin
          },
          minimumPartialPayment: { EUR: "10.00" },
          receiptFormat: options.receiptFormat
        }
      }
      const file = configFile(plugins)
      const port = yield* freePort
      return pluginPortal({ ...file, portal: { ...file.portal, port } }, yield* pgliteStore)
    })
  ).pipe(Layer.provideMerge(Layer.effect(Stripe, fakeStripe())))

/** Writes an account, its paying contact (`<accountId>-payer`) and its invoices, as the sync would. */
export const seedAccount = (options: Parameters<typeof seed>[0]) =>
  seed(options).pipe(Effect.provideService(CurrentPrincipal, system("test seed")))

/**
 * The payer completes the hosted checkout `checkoutUrl` at Stripe; gives the portal path Stripe sends them
 * back to (the `success_url` the portal asked for).
 */
export const completeCheckout = (checkoutUrl: string) =>
  Effect.gen(function* () {
    const stripe = yield* Stripe
    const sessionId = new URL(checkoutUrl).pathname.split("/").at(-1) ?? ""
    const session = stripe.sessions().find((s) => s.id === sessionId)
    if (session === undefined) return yield* Effect.die(`no Stripe session behind ${checkoutUrl}`)
    const created = stripe.server
      .requests()
      .map((request) => new URLSearchParams(request.body))
      .find((form) => form.get("client_reference_id") === session.client_reference_id && form.has("success_url"))
    const successUrl = created?.get("success_url")
    if (successUrl === undefined || successUrl === null) return yield* Effect.die(`no success_url for ${sessionId}`)
    stripe.complete(sessionId)
    const back = new URL(successUrl)
    return `${back.pathname}${back.search}`
  })
