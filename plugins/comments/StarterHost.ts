// The starter portal as a PortalHost: its session cookie and CSRF service for customers, its configured API
// keys for the business (acting as a SystemPrincipal), its page frame and branding.
import { Effect, Layer, Option } from "effect"
import { HttpServerRequest, HttpServerResponse } from "effect/http"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { AuditContext } from "../../core/portal/AuditContext.ts"
import { requireApiKey } from "../../starter/auth/ApiKeys.ts"
import { AuthAudit } from "../../starter/auth/AuthAudit.ts"
import { Authentication } from "../../starter/auth/AuthMiddleware.ts"
import { AuthSettings } from "../../starter/auth/AuthSettings.ts"
import { clientInfo } from "../../starter/auth/ClientInfo.ts"
import { Csrf, CsrfRejected, csrfRefusal } from "../../starter/auth/Csrf.ts"
import { Branding } from "../../starter/server/Branding.ts"
import { raw } from "../../starter/server/Html.ts"
import { page } from "../../starter/server/PageShell.ts"
import { PortalHost } from "./PortalHost.ts"

/** PortalHost over the starter's Authentication, Csrf, AuthAudit, AuthSettings and Branding. */
export const layer = Layer.effect(
  PortalHost,
  Effect.gen(function* () {
    const auth = yield* Authentication
    const csrf = yield* Csrf
    const audit = yield* AuthAudit
    const settings = yield* AuthSettings
    const branding = yield* Branding
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
      page: (options) =>
        page({
          branding,
          title: options.title,
          body: raw(options.body),
          ...(options.status === undefined ? {} : { status: options.status })
        })
    })
  })
)
