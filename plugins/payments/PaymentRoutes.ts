// The payments plugin's HTTP routes: the provider's webhook (at the root, where the provider is told to
// post: `/webhooks/payments/stripe` or `/webhooks/payments/mollie`) and the payer's return from the
// hosted checkout (`/plugins/payments/return?intent=...`), which confirms at once rather than waiting for
// the webhook and redirects to the portal page given in `then`.
import { Effect } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { PluginRoute } from "../../core/plugin/Plugin.ts"
import { Payments } from "./Payments.ts"

const problem = (status: number, error: string) => HttpServerResponse.jsonUnsafe({ error }, { status })

/** `POST /webhooks/payments/<provider>`: 200 when handled (or ignored), 400 when refused, 503 on a failure. */
export const webhookRoute = (providerId: string): PluginRoute<Payments> => ({
  mount: "root",
  route: HttpRouter.route(
    "POST",
    `/webhooks/payments/${providerId}`,
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const payments = yield* Payments
      const body = yield* Effect.orElseSucceed(request.arrayBuffer, () => new ArrayBuffer(0))
      const headers: Record<string, string | undefined> = {}
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
      return yield* payments.handleWebhook({ headers, body: new Uint8Array(body) }).pipe(
        Effect.map((outcome) => HttpServerResponse.jsonUnsafe({ received: true, outcome: outcome._tag })),
        Effect.catchTag("WebhookRejected", (rejected) => Effect.succeed(problem(400, rejected.reason))),
        Effect.catch((error) =>
          Effect.as(Effect.logWarning("payment webhook failed", error), problem(503, "not-processed"))
        )
      )
    })
  )
})

/** `GET /plugins/payments/return?intent=<id>&then=<path>`: confirms the intent's payment, then redirects. */
export const returnRoute: PluginRoute<Payments> = {
  route: HttpRouter.route(
    "GET",
    "/return",
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const payments = yield* Payments
      const url = new URL(request.url, "http://portal.invalid")
      const intentId = url.searchParams.get("intent") ?? ""
      const then = url.searchParams.get("then") ?? "/"
      // only same-site paths: an open redirect would let a link send payers anywhere
      const target = then.startsWith("/") && !then.startsWith("//") ? then : "/"
      const intent = yield* Effect.option(payments.intent(intentId))
      if (intent._tag === "Some" && intent.value.providerRef !== null) {
        yield* Effect.ignore(payments.confirm(intent.value.providerRef))
      }
      return HttpServerResponse.redirect(target, { status: 303 })
    })
  )
}
