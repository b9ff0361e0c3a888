// The starter portal as a PortalHost: its session cookie and CSRF service for customers, its configured API
// keys for the business (acting as a SystemPrincipal), its customer and plain page frames and branding.
import { Effect, Layer, Option } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { PortalHost } from "../../core/plugin/PortalHost.ts"
import { AuditContext } from "../../core/portal/AuditContext.ts"
import { activeAccountOf } from "../../core/portal/Portal.ts"
import { Accounts } from "../../core/store/Accounts.ts"
import { requireApiKey } from "../auth/ApiKeys.ts"
import { AuthAudit } from "../auth/AuthAudit.ts"
import { Authentication } from "../auth/AuthMiddleware.ts"
import { AuthSettings } from "../auth/AuthSettings.ts"
import { clientInfo } from "../auth/ClientInfo.ts"
import { Csrf, CsrfRejected, csrfRefusal } from "../auth/Csrf.ts"
import { pagePaths, plainPortalPage, portalPage } from "../pages/PortalShell.ts"
import { Branding } from "./Branding.ts"
import { raw } from "./Html.ts"

/** PortalHost over the starter's Authentication, Csrf, AuthAudit, AuthSettings, Branding and the Accounts repository. */
export const layer = Layer.effect(
  PortalHost,
  Effect.gen(function* () {
    const auth = yield* Authentication
    const csrf = yield* Csrf
    const audit = yield* AuthAudit
    const settings = yield* AuthSettings
    const branding = yield* Branding
    const accounts = yield* Accounts
    const withSettings = Effect.provideService(AuthSettings, settings)
    // The client's address and agent for the audit entries the use cases write.
    const withClient = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(withSettings(clientInfo), (client) =>
        Effect.provideService(effect, AuditContext, {
          ...(client.ip === undefined ? {} : { ip: client.ip }),
          ...(client.userAgent === undefined ? {} : { userAgent: client.userAgent })
        })
      )

    return PortalHost.of({
      customer: (handler) =>
        Effect.gen(function* () {
          const session = yield* Effect.orDie(auth.session)
          if (Option.isNone(session) || session.value.stage !== "complete") return yield* auth.challenge(session)
          const principal = session.value.principal
          return yield* csrf.protect(withClient(Effect.provideService(handler, CurrentPrincipal, principal))).pipe(
            Effect.catchIf(
              (error): error is CsrfRejected => error instanceof CsrfRejected,
              (error) =>
                audit
                  .record({ action: "csrf-refused", outcome: "denied", reason: error.reason, principal })
                  .pipe(Effect.orDie, withSettings, Effect.andThen(csrfRefusal(error)))
            )
          )
        }),
      business: (purpose, handler) =>
        Effect.gen(function* () {
          const key = yield* Effect.result(withSettings(requireApiKey))
          if (key._tag === "Failure") {
            yield* audit
              .record({ action: "api-key-refused", outcome: "denied", reason: key.failure.reason })
              .pipe(Effect.orDie, withSettings)
            return HttpServerResponse.jsonUnsafe(
              { error: "unauthorized", detail: "send the API key as `authorization: Bearer <key>`" },
              { status: 401, headers: { "www-authenticate": 'Bearer realm="portico"' } }
            )
          }
          const principal = system(`api key ${key.success}: ${purpose}`)
          return yield* withClient(Effect.provideService(handler, CurrentPrincipal, principal))
        }),
      csrfToken: Effect.flatMap(Effect.service(HttpServerRequest.HttpServerRequest), () => csrf.token),
      customerPage: (options) =>
        Effect.gen(function* () {
          const principal = yield* CurrentPrincipal
          const request = yield* HttpServerRequest.HttpServerRequest
          const url = new URL(request.url, "http://portal.invalid")
          const own = yield* Effect.orDie(accounts.list)
          return portalPage({
            branding,
            visitor: {
              csrf: yield* csrf.token,
              path: `${url.pathname}${url.search}`,
              activeAccountId: activeAccountOf(principal) ?? "",
              accounts: own.map((a) => ({ id: a.id, name: `${a.name} (${a.currency})` })),
              oneInvoice: principal._tag === "LinkPrincipal" && principal.invoiceId !== undefined,
              contact: principal._tag === "ContactPrincipal"
            },
            title: options.title,
            // The thread belongs to an invoice, which the activity section lists.
            section: pagePaths.activity,
            body: raw(options.body),
            ...(options.status === undefined ? {} : { status: options.status })
          })
        }),
      page: (options) =>
        plainPortalPage({
          branding,
          title: options.title,
          body: raw(options.body),
          ...(options.status === undefined ? {} : { status: options.status })
        })
    })
  })
)
