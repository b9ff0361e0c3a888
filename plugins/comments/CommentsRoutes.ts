// The comments plugin's HTTP routes, mounted under /plugins/comments: the customer's thread page and its
// forms (signed-in, CSRF-checked, through PortalHost.customer) and the business's JSON API (API key, acting
// as the system, through PortalHost.business).
import { Effect, Option, Schema } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { can } from "../../core/access/Permissions.ts"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import { InvoiceId } from "../../core/domain/Ids.ts"
import { formBody, PortalHost } from "../../core/plugin/PortalHost.ts"
import type { Thread } from "./Comment.ts"
import { Comments, type CommentsRules } from "./Comments.ts"
import { threadPage } from "./internal/ThreadPage.ts"

/** Where the starter mounts the plugin's routes. */
export const commentsBasePath = "/plugins/comments"

type Response = HttpServerResponse.HttpServerResponse

const decodeInvoiceId = Schema.decodeUnknownOption(InvoiceId)

/** The path's invoice id, or undefined when it is not a valid id (answered as not found). */
const invoiceIdOf = Effect.map(HttpRouter.params, (params) => Option.getOrUndefined(decodeInvoiceId(params.invoiceId)))

const formField = (name: string) => Effect.map(formBody, (form) => form.get(name) ?? "")

const jsonBody = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const body = yield* request.json.pipe(Effect.orElseSucceed((): unknown => ({})))
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {} // safe: checked object
})

const stringField = (body: Record<string, unknown>, name: string): string => {
  const value = body[name]
  return typeof value === "string" ? value : ""
}

const json = (status: number, body: unknown): Response => HttpServerResponse.jsonUnsafe(body, { status })

/** HTTP status and a short code for each refusal the use cases can give. */
const refusal = (error: { readonly _tag: string; readonly message: string }): { status: number; code: string } => {
  switch (error._tag) {
    case "NotFound":
      return { status: 404, code: "not-found" }
    case "PermissionDenied":
    case "BusinessOnly":
    case "FeatureDisabled":
      return { status: 403, code: "forbidden" }
    case "InvalidComment":
      return { status: 422, code: "invalid" }
    default:
      // the invoice state machine's refusals: already disputed, not disputed, nothing open, void...
      return { status: 409, code: "conflict" }
  }
}

const threadJson = (thread: Thread) => ({
  invoiceId: thread.invoiceId,
  accountId: thread.accountId,
  number: thread.number,
  status: thread.status,
  needsAttention: thread.needsAttention,
  entries: thread.entries,
  history: thread.history.map((item) =>
    item._tag === "Event"
      ? { type: "event", at: item.at, event: item.event }
      : { type: "entry", at: item.at, entry: item.entry }
  )
})

/** The routes, for `PluginContributions.routes`. */
export const commentsRoutes = (rules: CommentsRules) => {
  const customerPage = (
    invoiceId: InvoiceId,
    extra: {
      readonly status?: number
      readonly message?: { kind: "error" | "notice"; text: string }
      readonly draft?: string
    } = {}
  ) =>
    Effect.gen(function* () {
      const host = yield* PortalHost
      const comments = yield* Comments
      const principal = yield* CurrentPrincipal
      const thread = yield* comments.thread(invoiceId)
      const body = threadPage({
        thread,
        csrfToken: yield* host.csrfToken,
        basePath: `${commentsBasePath}/invoices/${encodeURIComponent(invoiceId)}`,
        canDispute: can(principal, rules.disputePermission, thread.accountId, thread.invoiceId),
        ...(extra.message === undefined ? {} : { message: extra.message }),
        ...(extra.draft === undefined ? {} : { draft: extra.draft })
      })
      return yield* host.customerPage({
        title: `Invoice ${thread.number}: questions`,
        body,
        ...(extra.status === undefined ? {} : { status: extra.status })
      })
    })

  const notFoundPage = Effect.flatMap(Effect.service(PortalHost), (host) =>
    host.customerPage({ title: "Not found", body: "<h1>Not found</h1><p>There is no such invoice.</p>", status: 404 })
  )

  /** A customer handler: answers refusals as pages (404 for anything outside the scope). */
  const customer = (
    handler: (
      invoiceId: InvoiceId
    ) => Effect.Effect<
      Response,
      unknown,
      Comments | PortalHost | CurrentPrincipal | HttpServerRequest.HttpServerRequest
    >
  ) =>
    Effect.gen(function* () {
      const host = yield* PortalHost
      const invoiceId = yield* invoiceIdOf
      if (invoiceId === undefined) return yield* host.customer(notFoundPage)
      return yield* host.customer(handler(invoiceId))
    })

  const afterWrite =
    (invoiceId: InvoiceId, draft: string) => (error: { readonly _tag: string; readonly message: string }) => {
      const { status } = refusal(error)
      if (status === 404) return notFoundPage
      return customerPage(invoiceId, { status, message: { kind: "error", text: error.message }, draft })
    }

  const refused = (error: unknown): error is { readonly _tag: string; readonly message: string } =>
    typeof error === "object" && error !== null && "_tag" in error && error._tag !== "SqlError"

  const redirectBack = (invoiceId: InvoiceId) =>
    HttpServerResponse.redirect(`${commentsBasePath}/invoices/${encodeURIComponent(invoiceId)}`, { status: 303 })

  const page = HttpRouter.route(
    "GET",
    "/invoices/:invoiceId",
    customer((invoiceId) =>
      customerPage(invoiceId).pipe(
        Effect.catchTags({
          NotFound: () => notFoundPage,
          PermissionDenied: () => notFoundPage,
          FeatureDisabled: () => notFoundPage
        })
      )
    )
  )

  const comment = HttpRouter.route(
    "POST",
    "/invoices/:invoiceId/comments",
    customer((invoiceId) =>
      Effect.gen(function* () {
        const text = yield* formField("body")
        const comments = yield* Comments
        return yield* comments
          .add(invoiceId, text)
          .pipe(Effect.as(redirectBack(invoiceId)), Effect.catchIf(refused, afterWrite(invoiceId, text)))
      })
    )
  )

  const dispute = HttpRouter.route(
    "POST",
    "/invoices/:invoiceId/dispute",
    customer((invoiceId) =>
      Effect.gen(function* () {
        const reason = yield* formField("reason")
        const comments = yield* Comments
        return yield* comments
          .openDispute(invoiceId, reason)
          .pipe(Effect.as(redirectBack(invoiceId)), Effect.catchIf(refused, afterWrite(invoiceId, "")))
      })
    )
  )

  /** A business handler: JSON in and out, refusals as `{ error, detail }`. */
  const business = (
    purpose: string,
    handler: (
      invoiceId: InvoiceId
    ) => Effect.Effect<Response, unknown, Comments | CurrentPrincipal | HttpServerRequest.HttpServerRequest>
  ) =>
    Effect.gen(function* () {
      const host = yield* PortalHost
      const invoiceId = yield* invoiceIdOf.pipe(Effect.orElseSucceed(() => undefined))
      return yield* host.business(
        purpose,
        invoiceId === undefined
          ? Effect.succeed(json(404, { error: "not-found", detail: "no such invoice" }))
          : handler(invoiceId).pipe(
              Effect.catchIf(refused, (error) => {
                const { status, code } = refusal(error)
                return Effect.succeed(json(status, { error: code, detail: error.message }))
              })
            )
      )
    })

  const apiThread = HttpRouter.route(
    "GET",
    "/api/invoices/:invoiceId",
    business("read a comment thread", (invoiceId) =>
      Effect.map(
        Effect.flatMap(Effect.service(Comments), (c) => c.thread(invoiceId)),
        (thread) => json(200, threadJson(thread))
      )
    )
  )

  const apiComment = HttpRouter.route(
    "POST",
    "/api/invoices/:invoiceId/comments",
    business("reply to a comment thread", (invoiceId) =>
      Effect.gen(function* () {
        const body = yield* jsonBody
        const entry = yield* (yield* Comments).add(invoiceId, stringField(body, "body"))
        return json(201, entry)
      })
    )
  )

  const apiResolve = HttpRouter.route(
    "POST",
    "/api/invoices/:invoiceId/resolve",
    business("mark a comment thread resolved", (invoiceId) =>
      Effect.gen(function* () {
        const body = yield* jsonBody
        const entry = yield* (yield* Comments).markResolved(invoiceId, stringField(body, "note"))
        return json(201, entry)
      })
    )
  )

  const apiOpenDispute = HttpRouter.route(
    "POST",
    "/api/invoices/:invoiceId/dispute",
    business("open a dispute", (invoiceId) =>
      Effect.gen(function* () {
        const body = yield* jsonBody
        const outcome = yield* (yield* Comments).openDispute(invoiceId, stringField(body, "reason"))
        return json(201, outcome)
      })
    )
  )

  const apiResolveDispute = HttpRouter.route(
    "POST",
    "/api/invoices/:invoiceId/dispute/resolve",
    business("resolve a dispute", (invoiceId) =>
      Effect.map(
        Effect.flatMap(Effect.service(Comments), (c) => c.resolveDispute(invoiceId)),
        (outcome) => json(200, outcome)
      )
    )
  )

  const apiAttention = HttpRouter.route(
    "GET",
    "/api/attention",
    Effect.gen(function* () {
      const host = yield* PortalHost
      return yield* host.business(
        "list invoices that need attention",
        Effect.map(
          Effect.flatMap(Effect.service(Comments), (c) => c.attention),
          (items) => json(200, { items })
        ).pipe(
          Effect.catchTag("BusinessOnly", (error) =>
            Effect.succeed(json(403, { error: "forbidden", detail: error.message }))
          )
        )
      )
    })
  )

  return [
    page,
    comment,
    dispute,
    apiThread,
    apiComment,
    apiResolve,
    apiOpenDispute,
    apiResolveDispute,
    apiAttention
  ].map((route) => ({
    route
  }))
}
