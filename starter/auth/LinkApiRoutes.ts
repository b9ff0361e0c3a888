// The host-app link API (`authorization: Bearer <api key>`): create a magic link for a contact, an account
// or one invoice; list an account's links; revoke one. JSON in and out; no cookies, so no CSRF token.
//
//   POST   /api/links            { contactId? , accountId?, invoiceId?, expiresInSeconds?, permissions?, returnTo? }
//                                 -> 201 { id, url, kind, accountId, invoiceId?, contactId?, permissions, expiresAt }
//   GET    /api/links?accountId=  -> 200 { links: [{ id, accountId, invoiceId, contactId, permissions, createdAt,
//                                                   expiresAt, revokedAt }] }
//   DELETE /api/links/:id         -> 200 the revoked link; 404 when unknown
import { Duration, Effect, Option, Schema } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { Permission } from "../../core/access/Permission.ts"
import { system } from "../../core/access/Principal.ts"
import { AccountId, ContactId, InvoiceId } from "../../core/domain/Ids.ts"
import type { StoredLink } from "../../core/store/SignedLinkStore.ts"
import { requireApiKey } from "./ApiKeys.ts"
import { AuthAudit, type AuthEvent } from "./AuthAudit.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { queryParam } from "./internal/forms.ts"
import { MagicLinks } from "./MagicLinks.ts"
import { safeReturnTo } from "./Paths.ts"

/** The body of `POST /api/links`. */
export const CreateLinkBody = Schema.Struct({
  contactId: Schema.optionalKey(ContactId),
  accountId: Schema.optionalKey(AccountId),
  invoiceId: Schema.optionalKey(InvoiceId),
  /** Default 900 (15 minutes) for a contact link, 7 days otherwise; capped at 1 day and 90 days. */
  expiresInSeconds: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  permissions: Schema.optionalKey(Schema.Array(Permission)),
  /** A portal path to open after signing in, such as "/invoices/INV-1". */
  returnTo: Schema.optionalKey(Schema.String)
})
const decodeBody = Schema.decodeUnknownEffect(CreateLinkBody)

const linkJson = (link: StoredLink) => ({
  id: link.grant.id,
  accountId: link.grant.accountId,
  invoiceId: link.grant.invoiceId ?? null,
  contactId: link.grant.contactId ?? null,
  permissions: link.grant.permissions,
  createdAt: link.createdAt.toISOString(),
  expiresAt: new Date(link.grant.expiresAt).toISOString(),
  revokedAt: link.revokedAt?.toISOString() ?? null
})

const problem = (status: number, error: string, detail?: string) =>
  HttpServerResponse.jsonUnsafe(detail === undefined ? { error } : { error, detail }, { status })

/** The link API routes (no middleware needed: each checks its API key). */
export const LinkApiRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const settings = yield* AuthSettings
    const links = yield* MagicLinks
    const audit = yield* AuthAudit
    const record = (event: AuthEvent) => audit.record(event).pipe(Effect.provideService(AuthSettings, settings))

    // Runs `handler` with the caller's key id, or answers 401 (and records the refusal).
    const withKey = <E, R>(handler: (keyId: string) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      requireApiKey.pipe(
        Effect.provideService(AuthSettings, settings),
        Effect.matchEffect({
          onFailure: (error) =>
            record({ action: "api-key-refused", outcome: "denied", reason: error.reason }).pipe(
              Effect.as(
                problem(401, "unauthorized", "send the API key as `authorization: Bearer <key>`").pipe(
                  HttpServerResponse.setHeader("www-authenticate", 'Bearer realm="portico"')
                )
              )
            ),
          onSuccess: handler
        }),
        Effect.orDie
      )

    yield* router.add(
      "POST",
      "/api/links",
      withKey((keyId) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const json = yield* request.json.pipe(Effect.option)
          if (Option.isNone(json)) return problem(400, "invalid-request", "the body must be JSON")
          const body = yield* decodeBody(json.value).pipe(Effect.result)
          if (body._tag === "Failure") return problem(400, "invalid-request", body.failure.message)
          const input = body.success
          const returnTo = input.returnTo === undefined ? undefined : safeReturnTo(input.returnTo)
          if (input.returnTo !== undefined && returnTo === undefined) {
            return problem(400, "invalid-request", "returnTo must be a path on this portal, such as /invoices/INV-1")
          }
          const contactOnly = input.contactId !== undefined && input.invoiceId === undefined
          const ttl =
            input.expiresInSeconds === undefined
              ? contactOnly
                ? Duration.minutes(15)
                : Duration.days(7)
              : Duration.seconds(input.expiresInSeconds)
          const issued = yield* links
            .create({
              contactId: input.contactId,
              accountId: input.accountId,
              invoiceId: input.invoiceId,
              permissions: input.permissions,
              returnTo,
              ttl
            })
            .pipe(Effect.result)
          if (issued._tag === "Failure") {
            if (issued.failure._tag === "SqlError") return yield* issued.failure
            return problem(422, "invalid-link", issued.failure.detail)
          }
          const { grant, url, kind } = issued.success
          yield* record({
            action: "link-created",
            outcome: "success",
            principal: system(`host app (API key ${keyId})`),
            accountId: grant.accountId,
            records: [
              { kind: "signed-link", id: grant.id },
              ...(grant.invoiceId === undefined ? [] : [{ kind: "invoice", id: grant.invoiceId }]),
              ...(grant.contactId === undefined ? [] : [{ kind: "contact", id: grant.contactId }])
            ]
          })
          return HttpServerResponse.jsonUnsafe(
            {
              id: grant.id,
              url,
              kind,
              accountId: grant.accountId,
              invoiceId: grant.invoiceId ?? null,
              contactId: grant.contactId ?? null,
              permissions: grant.permissions,
              expiresAt: new Date(grant.expiresAt).toISOString()
            },
            { status: 201 }
          )
        })
      )
    )

    yield* router.add(
      "GET",
      "/api/links",
      withKey(() =>
        Effect.gen(function* () {
          const accountId = yield* queryParam("accountId")
          if (accountId === undefined || !Schema.is(AccountId)(accountId)) {
            return problem(400, "invalid-request", "give ?accountId=")
          }
          const found = yield* links.list(accountId)
          return HttpServerResponse.jsonUnsafe({ links: found.map(linkJson) })
        })
      )
    )

    yield* router.add(
      "DELETE",
      "/api/links/:id",
      withKey((keyId) =>
        Effect.gen(function* () {
          const params = yield* HttpRouter.params
          const id = params.id ?? ""
          const revoked = yield* links.revoke(id).pipe(Effect.result)
          if (revoked._tag === "Failure") {
            if (revoked.failure._tag === "SqlError") return yield* revoked.failure
            return problem(404, "not-found")
          }
          yield* record({
            action: "link-revoked",
            outcome: "success",
            principal: system(`host app (API key ${keyId})`),
            accountId: revoked.success.grant.accountId,
            records: [{ kind: "signed-link", id }]
          })
          return HttpServerResponse.jsonUnsafe(linkJson(revoked.success))
        })
      )
    )
  })
)
