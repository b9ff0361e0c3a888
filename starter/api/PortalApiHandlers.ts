// The JSON API's handlers: each runs the same `Portal` use case as the matching page (so the same scope,
// permission checks and audit entries) and maps its refusals to the API's errors. An invoice outside the
// scope, or one the caller may not read, is a 404 either way.
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { AuditContext } from "../../core/portal/AuditContext.ts"
import { Portal, type PortalError } from "../../core/portal/Portal.ts"
import { AuthSettings } from "../auth/AuthSettings.ts"
import { clientInfo } from "../auth/ClientInfo.ts"
import { BadRequest, Forbidden, NotFoundError } from "./ApiErrors.ts"
import { PortalApi } from "./PortalApi.ts"

/** Maps a use case's refusals; database and render faults are 500s. */
const refusals = <A, R>(effect: Effect.Effect<A, PortalError, R>, hideDenial = false) =>
  effect.pipe(
    Effect.catchTags({
      NotFound: (error) => Effect.fail(new NotFoundError({ kind: error.kind, id: error.id })),
      PermissionDenied: (error) =>
        hideDenial
          ? Effect.fail(new NotFoundError({ kind: "invoice", id: error.invoiceId ?? error.accountId }))
          : Effect.fail(new Forbidden({ message: error.message })),
      FeatureDisabled: (error) => Effect.fail(new Forbidden({ message: error.message })),
      InvalidRequest: (error) => Effect.fail(new BadRequest({ message: error.message })),
      InvalidCursor: (error) => Effect.fail(new BadRequest({ message: error.message }))
    }),
    Effect.catchTags({ SqlError: Effect.die, RenderError: Effect.die })
  )

/** The `portal` group's handlers. Needs `Portal` and `AuthSettings` (for the client's address). */
export const PortalApiHandlers = HttpApiBuilder.group(
  PortalApi,
  "portal",
  Effect.fn(function* (handlers) {
    const portal = yield* Portal
    const settings = yield* AuthSettings
    const audited = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.flatMap(clientInfo.pipe(Effect.provideService(AuthSettings, settings)), (client) =>
        Effect.provideService(effect, AuditContext, { ip: client.ip, userAgent: client.userAgent })
      )
    return handlers.handleAll({
      accounts: () => Effect.orDie(portal.accounts),
      summary: ({ params }) =>
        audited(
          Effect.gen(function* () {
            const overview = yield* refusals(portal.overview(params.accountId))
            if (overview.summary === undefined) {
              return yield* new Forbidden({ message: "this role may not read the account summary" })
            }
            return {
              accountId: overview.summary.accountId,
              asOf: overview.summary.asOf,
              currencies: overview.summary.currencies.map((c) => ({
                currency: c.currency,
                open: c.open,
                openCount: c.openCount,
                overdue: c.overdue,
                overdueCount: c.overdueCount,
                disputed: c.disputed,
                credit: c.credit,
                aging: c.aging.buckets.map((b) => ({
                  label: b.label,
                  minDaysPastDue: b.minDaysPastDue ?? null,
                  maxDaysPastDue: b.maxDaysPastDue ?? null,
                  amount: b.amount,
                  count: b.count
                }))
              }))
            }
          })
        ),
      invoices: ({ params, query }) =>
        audited(
          refusals(
            Effect.map(
              portal.invoiceList(params.accountId, {
                ...(query.status === undefined
                  ? {}
                  : { statuses: typeof query.status === "string" ? [query.status] : query.status }),
                ...(query.issuedFrom === undefined ? {} : { issuedFrom: query.issuedFrom }),
                ...(query.issuedTo === undefined ? {} : { issuedTo: query.issuedTo }),
                ...(query.dueFrom === undefined ? {} : { dueFrom: query.dueFrom }),
                ...(query.dueTo === undefined ? {} : { dueTo: query.dueTo }),
                ...(query.currency === undefined ? {} : { currency: query.currency }),
                ...(query.minTotal === undefined ? {} : { minTotal: query.minTotal }),
                ...(query.maxTotal === undefined ? {} : { maxTotal: query.maxTotal }),
                ...(query.search === undefined ? {} : { search: query.search }),
                ...(query.sort === undefined
                  ? {}
                  : { sort: { field: query.sort, direction: query.direction ?? "desc" } }),
                ...(query.limit === undefined ? {} : { limit: query.limit }),
                ...(query.cursor === undefined ? {} : { cursor: query.cursor })
              }),
              (list) => ({
                asOf: list.asOf,
                items: list.page.items,
                nextCursor: list.page.nextCursor ?? null
              })
            )
          )
        ),
      invoice: ({ params }) =>
        audited(
          refusals(
            Effect.map(portal.invoice(params.invoiceId), ({ detail }) => detail),
            true
          )
        ),
      statement: ({ params, query }) =>
        audited(
          refusals(
            Effect.map(
              portal.statement(params.accountId, {
                style: query.style,
                from: query.from,
                to: query.to,
                ...(query.currency === undefined ? {} : { currency: query.currency })
              }),
              (result) => result.view
            )
          )
        ),
      documents: ({ params }) => audited(refusals(portal.documents(params.accountId)))
    })
  })
)
