// A wire-compatible Mollie for tests, on 127.0.0.1: the v2 payments, customers and refunds endpoints the
// provider uses, JSON bodies, bearer-key auth, Idempotency-Key replay, HAL `_links.checkout`, mandates made
// by paid "first" payments, and webhooks as Mollie sends them: a form body carrying only `id=tr_...`.
import { Effect, type Scope } from "effect"
import {
  json,
  listen,
  type RecordedRequest,
  type Reply,
  type TestHttpServer
} from "../../adapters/rest/TestHttpServer.ts"

type MollieObject = Record<string, unknown> & { readonly id: string }

/** The running fake and its test controls. */
export interface FakeMollie {
  readonly server: TestHttpServer
  readonly apiKey: string
  /** The payer pays (or the payment fails); gives the webhook body Mollie posts. */
  readonly settle: (paymentId: string, status?: "paid" | "failed" | "canceled" | "expired") => string
  readonly payments: () => ReadonlyArray<MollieObject>
}

const problem = (status: number, title: string, detail: string): Reply =>
  json(status, JSON.stringify({ status, title, detail }), { "content-type": "application/hal+json" })

/** Starts the fake for the life of the scope. */
export const fakeMollie = (options: { readonly apiKey?: string } = {}): Effect.Effect<FakeMollie, never, Scope.Scope> =>
  Effect.gen(function* () {
    const apiKey = options.apiKey ?? "test_portico"
    const objects = new Map<string, MollieObject>()
    const idempotent = new Map<string, { readonly body: string; readonly reply: Reply }>()
    let counter = 0
    let origin = ""
    const nextId = (prefix: string) => `${prefix}_${(++counter).toString(36).padStart(8, "x")}`
    const put = (object: MollieObject) => {
      objects.set(object.id, object)
      return object
    }
    const hal = (status: number, object: MollieObject) =>
      json(status, JSON.stringify(object), { "content-type": "application/hal+json" })

    const create = (path: string, body: Record<string, unknown>): Reply => {
      if (path === "/v2/payments") {
        const amount = body.amount
        if (typeof amount !== "object" || amount === null || !("value" in amount) || !("currency" in amount)) {
          return problem(422, "Unprocessable Entity", "The amount is required")
        }
        if (typeof amount.value !== "string" || !/^\d+(\.\d+)?$/.test(amount.value)) {
          return problem(422, "Unprocessable Entity", "The amount value must be a string with the right decimals")
        }
        const recurring = body.sequenceType === "recurring"
        if (recurring) {
          const mandate = objects.get(String(body.mandateId))
          if (mandate === undefined || mandate.customerId !== body.customerId) {
            return problem(422, "Unprocessable Entity", "The mandate is not valid for this customer")
          }
        }
        const id = nextId("tr")
        return hal(
          201,
          put({
            resource: "payment",
            id,
            mode: "test",
            status: recurring ? "paid" : "open",
            amount,
            description: body.description,
            method: recurring ? "creditcard" : (body.method ?? null),
            metadata: body.metadata ?? null,
            sequenceType: body.sequenceType ?? "oneoff",
            customerId: body.customerId ?? null,
            mandateId: body.mandateId ?? null,
            redirectUrl: body.redirectUrl ?? null,
            webhookUrl: body.webhookUrl ?? null,
            _links: {
              self: { href: `${origin}/v2/payments/${id}` },
              checkout: recurring ? null : { href: `${origin}/checkout/${id}` }
            }
          })
        )
      }
      if (path === "/v2/customers") {
        return hal(201, put({ resource: "customer", id: nextId("cst"), name: body.name, email: body.email }))
      }
      const refund = /^\/v2\/payments\/([^/]+)\/refunds$/.exec(path)
      if (refund?.[1] !== undefined) {
        const payment = objects.get(refund[1])
        if (payment === undefined || payment.status !== "paid")
          return problem(422, "Unprocessable Entity", "The payment cannot be refunded")
        return hal(
          201,
          put({ resource: "refund", id: nextId("re"), paymentId: payment.id, amount: body.amount, status: "pending" })
        )
      }
      return problem(404, "Not Found", `No such endpoint ${path}`)
    }

    const handler = (request: RecordedRequest): Reply => {
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        return problem(401, "Unauthorized Request", "Missing authentication, or failed to authenticate")
      }
      if (request.method === "GET") {
        const match = /^\/v2\/(payments|customers)\/([^/]+)$/.exec(request.path)
        const object = match?.[2] === undefined ? undefined : objects.get(match[2])
        if (object === undefined) return problem(404, "Not Found", `No payment exists with token ${match?.[2] ?? ""}.`)
        return hal(200, object)
      }
      if (request.method !== "POST") return problem(405, "Method Not Allowed", request.method)
      const key = request.headers["idempotency-key"]
      const scoped = typeof key === "string" ? `${request.path}\u001f${key}` : undefined
      const seen = scoped === undefined ? undefined : idempotent.get(scoped)
      if (seen !== undefined) {
        return seen.body === request.body
          ? seen.reply
          : problem(422, "Unprocessable Entity", "The idempotency key was used with another request body")
      }
      const body: unknown = JSON.parse(request.body === "" ? "{}" : request.body)
      const reply =
        typeof body === "object" && body !== null && !Array.isArray(body)
          ? create(request.path, { ...body })
          : problem(400, "Bad Request", "The body must be a JSON object")
      if (scoped !== undefined && reply.status < 500) idempotent.set(scoped, { body: request.body, reply })
      return reply
    }

    const server = yield* listen(handler)
    origin = server.origin

    return {
      server,
      apiKey,
      settle: (paymentId, status = "paid") => {
        const payment = objects.get(paymentId)
        if (payment === undefined) throw new RangeError(`no payment ${paymentId}`)
        const paid = put({ ...payment, status, ...(status === "paid" ? { paidAt: "2026-01-15T10:00:00+00:00" } : {}) })
        if (status === "paid" && paid.sequenceType === "first" && typeof paid.customerId === "string") {
          const mandate = put({
            resource: "mandate",
            id: nextId("mdt"),
            status: "valid",
            method: "creditcard",
            customerId: paid.customerId
          })
          put({ ...paid, mandateId: mandate.id, method: "creditcard" })
        }
        return `id=${paymentId}`
      },
      payments: () => [...objects.values()].filter((o) => o.resource === "payment")
    }
  })
