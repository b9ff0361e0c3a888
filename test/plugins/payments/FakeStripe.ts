// A wire-compatible Stripe for tests, on 127.0.0.1: the endpoints the provider uses (Checkout Sessions in
// payment and setup mode, customers, setup intents, payment methods, off-session PaymentIntents, refunds),
// form-encoded bodies, bearer-key auth, Idempotency-Key replay (same key and parameters: the first answer
// again; other parameters: 400 idempotency_error), events signed as Stripe signs them, and the hosted
// checkout page at a session's `url` (opened, it completes the session and sends the payer to `success_url`).
import { Effect, type Scope } from "effect"
import { stripeSignatureHeader } from "../../../plugins/payments/providers/StripeProvider.ts"
import {
  json,
  listen,
  type RecordedRequest,
  type Reply,
  type TestHttpServer
} from "../../adapters/rest/TestHttpServer.ts"

type StripeObject = Record<string, unknown> & { readonly id: string }

/** A signed webhook delivery: the headers and raw body Stripe would send. */
export interface SignedDelivery {
  readonly headers: Record<string, string>
  readonly body: string
}

/** The running fake and its test controls. */
export interface FakeStripe {
  readonly server: TestHttpServer
  readonly secretKey: string
  readonly webhookSecret: string
  /** The payer completes the session's checkout (pays, or saves a card); gives the event Stripe sends. */
  readonly complete: (sessionId: string, options?: { readonly card?: string }) => StripeObject
  /** A `checkout.session.expired` event for an open session. */
  readonly expire: (sessionId: string) => StripeObject
  /** Signs an event as Stripe does, at `timestampSeconds`. */
  readonly sign: (event: StripeObject, timestampSeconds: number, secret?: string) => SignedDelivery
  readonly sessions: () => ReadonlyArray<StripeObject>
  readonly refunds: () => ReadonlyArray<StripeObject>
  /** Off-session charges on this card are declined. */
  readonly declineCard: (paymentMethodId: string) => void
}

const error = (status: number, type: string, message: string): Reply =>
  json(status, JSON.stringify({ error: { type, message } }))

/** Starts the fake for the life of the scope. */
export const fakeStripe = (
  options: { readonly secretKey?: string; readonly webhookSecret?: string } = {}
): Effect.Effect<FakeStripe, never, Scope.Scope> =>
  Effect.gen(function* () {
    const secretKey = options.secretKey ?? "sk_test_portico"
    const webhookSecret = options.webhookSecret ?? "whsec_portico"
    const objects = new Map<string, StripeObject>()
    const idempotent = new Map<string, { readonly body: string; readonly reply: Reply }>()
    const declined = new Set<string>()
    let counter = 0
    let origin = ""
    const nextId = (prefix: string) => `${prefix}_test_${(++counter).toString().padStart(6, "0")}`
    const put = (object: StripeObject) => {
      objects.set(object.id, object)
      return object
    }
    const event = (type: string, object: StripeObject): StripeObject => ({
      id: nextId("evt"),
      object: "event",
      type,
      created: 1_700_000_000,
      data: { object }
    })
    const metadataOf = (form: URLSearchParams) => {
      const metadata: Record<string, string> = {}
      for (const [key, value] of form) {
        const match = /^metadata\[(.+)\]$/.exec(key)
        if (match?.[1] !== undefined) metadata[match[1]] = value
      }
      return metadata
    }

    const create = (path: string, form: URLSearchParams): Reply => {
      if (path === "/v1/checkout/sessions") {
        const mode = form.get("mode")
        const id = nextId("cs")
        if (mode === "setup") {
          if (form.get("customer") === null)
            return error(400, "invalid_request_error", "Missing required param: customer.")
          const setup = put({
            id: nextId("seti"),
            object: "setup_intent",
            payment_method: null,
            status: "requires_payment_method"
          })
          return json(
            200,
            JSON.stringify(
              put({
                id,
                object: "checkout.session",
                mode,
                url: `${origin}/c/setup/${id}`,
                status: "open",
                payment_status: "no_payment_required",
                amount_total: null,
                currency: form.get("currency"),
                payment_intent: null,
                setup_intent: setup.id,
                customer: form.get("customer"),
                client_reference_id: form.get("client_reference_id"),
                success_url: form.get("success_url"),
                cancel_url: form.get("cancel_url"),
                metadata: metadataOf(form)
              })
            )
          )
        }
        const amount = Number(form.get("line_items[0][price_data][unit_amount]"))
        const quantity = Number(form.get("line_items[0][quantity]") ?? "1")
        const currency = form.get("line_items[0][price_data][currency]")
        if (mode !== "payment" || !Number.isSafeInteger(amount) || amount < 1 || currency === null) {
          return error(400, "invalid_request_error", "Invalid line_items or mode.")
        }
        const intentMetadata: Record<string, string> = {}
        for (const [key, value] of form) {
          const match = /^payment_intent_data\[metadata\]\[(.+)\]$/.exec(key)
          if (match?.[1] !== undefined) intentMetadata[match[1]] = value
        }
        return json(
          200,
          JSON.stringify(
            put({
              id,
              object: "checkout.session",
              mode,
              url: `${origin}/c/pay/${id}`,
              status: "open",
              payment_status: "unpaid",
              amount_total: amount * quantity,
              currency,
              payment_intent: null,
              setup_intent: null,
              customer: form.get("customer"),
              client_reference_id: form.get("client_reference_id"),
              success_url: form.get("success_url"),
              cancel_url: form.get("cancel_url"),
              metadata: metadataOf(form),
              intent_metadata: intentMetadata
            })
          )
        )
      }
      if (path === "/v1/customers") {
        return json(
          200,
          JSON.stringify(
            put({ id: nextId("cus"), object: "customer", email: form.get("email"), name: form.get("name") })
          )
        )
      }
      if (path === "/v1/payment_intents") {
        const method = form.get("payment_method") ?? ""
        if (form.get("confirm") !== "true" || form.get("off_session") !== "true") {
          return error(400, "invalid_request_error", "Only confirmed off-session intents are supported here.")
        }
        if (!objects.has(method)) return error(400, "invalid_request_error", `No such PaymentMethod: '${method}'`)
        const intent = put({
          id: nextId("pi"),
          object: "payment_intent",
          amount: Number(form.get("amount")),
          currency: form.get("currency"),
          customer: form.get("customer"),
          payment_method: method,
          metadata: metadataOf(form),
          status: declined.has(method) ? "requires_payment_method" : "succeeded"
        })
        return declined.has(method)
          ? json(
              402,
              JSON.stringify({
                error: {
                  type: "card_error",
                  code: "card_declined",
                  message: "Your card was declined.",
                  payment_intent: intent
                }
              })
            )
          : json(200, JSON.stringify(intent))
      }
      if (path === "/v1/refunds") {
        const intent = objects.get(form.get("payment_intent") ?? "")
        const amount = Number(form.get("amount"))
        if (intent === undefined || intent.status !== "succeeded")
          return error(400, "invalid_request_error", "No such payment_intent.")
        const refunded = [...objects.values()]
          .filter((o) => o.object === "refund" && o.payment_intent === intent.id)
          .reduce((sum, o) => sum + Number(o.amount), 0)
        if (refunded + amount > Number(intent.amount))
          return error(400, "invalid_request_error", "Refund amount exceeds the charge.")
        return json(
          200,
          JSON.stringify(
            put({ id: nextId("re"), object: "refund", payment_intent: intent.id, amount, status: "succeeded" })
          )
        )
      }
      return error(404, "invalid_request_error", `Unrecognized request URL (POST: ${path}).`)
    }

    const handler = (request: RecordedRequest): Reply => {
      // the hosted checkout, a page the payer's browser opens: the payer completes it and goes back
      const hosted = /^\/c\/(pay|setup)\/([^/]+)$/.exec(request.path)
      if (request.method === "GET" && hosted?.[2] !== undefined) {
        const session = objects.get(hosted[2])
        if (session?.status !== "open" || typeof session.success_url !== "string") {
          return { status: 404, headers: { "content-type": "text/plain" }, body: "This checkout is not open." }
        }
        complete(session.id)
        return { status: 303, headers: { location: session.success_url } }
      }
      if (request.headers.authorization !== `Bearer ${secretKey}`) {
        return error(401, "invalid_request_error", "Invalid API Key provided.")
      }
      if (request.method === "GET") {
        const match =
          /^\/v1\/(checkout\/sessions|setup_intents|payment_methods|payment_intents|customers)\/([^/]+)$/.exec(
            request.path
          )
        const object = match?.[2] === undefined ? undefined : objects.get(match[2])
        if (object === undefined)
          return error(404, "invalid_request_error", `No such object: '${match?.[2] ?? request.path}'`)
        return json(200, JSON.stringify(object))
      }
      if (request.method !== "POST") return error(405, "invalid_request_error", "Method not allowed.")
      if (!String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        return error(400, "invalid_request_error", "Stripe takes form-encoded bodies.")
      }
      const key = request.headers["idempotency-key"]
      const scoped = typeof key === "string" ? `${request.path}\u001f${key}` : undefined
      if (scoped !== undefined) {
        const seen = idempotent.get(scoped)
        if (seen !== undefined) {
          return seen.body === request.body
            ? { ...seen.reply, headers: { ...seen.reply.headers, "idempotent-replayed": "true" } }
            : error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they were first used with."
              )
        }
      }
      const reply = create(request.path, new URLSearchParams(request.body))
      if (scoped !== undefined && reply.status < 500) idempotent.set(scoped, { body: request.body, reply })
      return reply
    }

    const server = yield* listen(handler)
    origin = server.origin

    const complete = (sessionId: string, completion: { readonly card?: string } = {}) => {
      const session = objects.get(sessionId)
      if (session === undefined) throw new RangeError(`no session ${sessionId}`)
      if (session.mode === "setup") {
        const method = put({
          id: nextId("pm"),
          object: "payment_method",
          type: "card",
          card: { brand: "visa", last4: completion.card ?? "4242" }
        })
        const setup = objects.get(String(session.setup_intent))
        if (setup !== undefined) put({ ...setup, payment_method: method.id, status: "succeeded" })
        return event("checkout.session.completed", put({ ...session, status: "complete" }))
      }
      const intent = put({
        id: nextId("pi"),
        object: "payment_intent",
        amount: session.amount_total,
        currency: session.currency,
        status: "succeeded",
        metadata: session.intent_metadata ?? {}
      })
      return event(
        "checkout.session.completed",
        put({ ...session, status: "complete", payment_status: "paid", payment_intent: intent.id })
      )
    }

    return {
      server,
      secretKey,
      webhookSecret,
      complete,
      expire: (sessionId) => {
        const session = objects.get(sessionId)
        if (session === undefined) throw new RangeError(`no session ${sessionId}`)
        return event("checkout.session.expired", put({ ...session, status: "expired" }))
      },
      sign: (payload, timestampSeconds, secret) => {
        const body = JSON.stringify(payload)
        return {
          body,
          headers: {
            "content-type": "application/json",
            "stripe-signature": stripeSignatureHeader(body, secret ?? webhookSecret, timestampSeconds)
          }
        }
      },
      sessions: () => [...objects.values()].filter((o) => o.object === "checkout.session"),
      refunds: () => [...objects.values()].filter((o) => o.object === "refund"),
      declineCard: (id) => {
        declined.add(id)
      }
    }
  })
