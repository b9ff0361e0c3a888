// The customer pages as routes behind the sign-in middleware: each handler runs a `Portal` use case for the
// signed-in principal, renders the page, and answers refusals as pages: an invoice or document outside the
// scope is a 404 (never a 403, which would confirm that it exists), a missing permission a 403. Downloads
// are sent with Cache-Control: no-store and as attachments. The request's address and user agent go into
// every audit entry the use cases write.
import { Effect, Layer, Option, Result, Schema, Stream } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { can } from "../../core/access/Permissions.ts"
import { CurrentPrincipal } from "../../core/access/Principal.ts"
import type { Account, Tier } from "../../core/domain/Account.ts"
import { AccountId, DocumentId, InvoiceId } from "../../core/domain/Ids.ts"
import type { DomainEvents } from "../../core/events/DomainEvents.ts"
import { PluginRegistry } from "../../core/plugin/PluginRegistry.ts"
import { formBody } from "../../core/plugin/PortalHost.ts"
import { AuditContext } from "../../core/portal/AuditContext.ts"
import type { DocumentFile } from "../../core/portal/DocumentFiles.ts"
import { DocumentFiles } from "../../core/portal/DocumentFiles.ts"
import { liveChanges } from "../../core/portal/LiveStatus.ts"
import { activeAccountOf, Portal, type PortalError } from "../../core/portal/Portal.ts"
import { PortalSettings, today } from "../../core/portal/PortalSettings.ts"
import { Store } from "../../core/store/Store.ts"
import { paymentPaths } from "../../plugins/payments/PaymentPaths.ts"
import { AuthMiddleware } from "../auth/AuthMiddleware.ts"
import { clientInfo } from "../auth/ClientInfo.ts"
import { Csrf } from "../auth/Csrf.ts"
import { Branding } from "../server/Branding.ts"
import { type Html, html } from "../server/Html.ts"
import { htmlResponse } from "../server/PageShell.ts"
import { pageFormat } from "./Formatting.ts"
import {
  activityForm,
  activityRequest,
  billingUpdate,
  notificationSettingsFrom,
  statementForm,
  statementRequest
} from "./Forms.ts"
import { pagePaths, portalPage, type Visitor } from "./PortalShell.ts"
import {
  activityBody,
  billingBody,
  documentsBody,
  invoiceBody,
  messageBody,
  notificationsBody,
  overviewBody,
  statementBody
} from "./Views.ts"

const isInvoiceId = Schema.is(InvoiceId)
const isDocumentId = Schema.is(DocumentId)

/** A file as a no-store attachment. */
export const attachment = (file: Pick<DocumentFile, "fileName" | "contentType" | "bytes">) =>
  HttpServerResponse.uint8Array(file.bytes, {
    contentType: file.contentType,
    headers: {
      "cache-control": "no-store",
      "content-disposition": `attachment; filename="${file.fileName.replace(/["\\\r\n]/g, "_")}"`,
      "x-content-type-options": "nosniff"
    }
  })

const requestUrl = Effect.map(
  Effect.service(HttpServerRequest.HttpServerRequest),
  (request) => new URL(request.originalUrl, "http://portal.invalid")
)

/** The customer pages. Needs `Portal`, `DocumentFiles`, `PortalSettings`, `Branding`, `Csrf`, `AuthSettings` and the auth middleware's services. */
export const PortalRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const portal = yield* Portal
    const store = yield* Store
    const files = yield* DocumentFiles
    const branding = yield* Branding
    const csrf = yield* Csrf
    const settings = yield* PortalSettings
    const plugins = yield* Effect.serviceOption(PluginRegistry)
    /** Whether the portal composed the plugin and the account's tier has it. */
    const pluginOn = (pluginId: string, tier: Tier) => Option.exists(plugins, (r) => r.isEnabled(pluginId, tier))
    const format = pageFormat(settings.locale)
    const asOfToday = Effect.provideService(today, PortalSettings, settings)

    const visitorWith = (accounts: ReadonlyArray<Account>) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const url = yield* requestUrl
        return {
          csrf: yield* csrf.token,
          path: `${url.pathname}${url.search}`,
          activeAccountId: activeAccountOf(principal) ?? "",
          accounts: accounts.map((a) => ({ id: a.id, name: `${a.name} (${a.currency})` })),
          oneInvoice: principal._tag === "LinkPrincipal" && principal.invoiceId !== undefined,
          contact: principal._tag === "ContactPrincipal"
        } satisfies Visitor
      })

    const visitorFor = Effect.flatMap(portal.accounts.pipe(Effect.orDie), visitorWith)

    const show = (title: string, section: string, body: Html, status?: number, known?: Visitor) =>
      Effect.map(known === undefined ? visitorFor : Effect.succeed(known), (visitor) =>
        portalPage({ branding, visitor, title, section, body, ...(status === undefined ? {} : { status }) })
      )

    /**
     * A page's reads in one scoped transaction: the visitor's accounts, the use case and its audit entry
     * (the repositories and the audit log join it), instead of one transaction each. Pages only: downloads
     * render outside any transaction, and writes keep the use case's own.
     */
    const oneTransaction = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      store.withScope(handler).pipe(Effect.catchTag("SqlError", Effect.die))

    const notFound = show(
      "Not found",
      "",
      messageBody("Not found", "There is nothing here, or it is not yours to see."),
      404
    )

    /** Answers a use case's refusals with pages; database and render faults are 500s. */
    const refusals =
      (options: { readonly hideDenial: boolean }) =>
      <R>(effect: Effect.Effect<HttpServerResponse.HttpServerResponse, PortalError, R>) =>
        effect.pipe(
          Effect.catchTags({
            NotFound: () => notFound,
            PermissionDenied: () =>
              options.hideDenial
                ? notFound
                : show(
                    "Not allowed",
                    "",
                    messageBody("Not allowed", "Your role on this account does not allow this."),
                    403
                  ),
            FeatureDisabled: () =>
              show(
                "Not available",
                "",
                messageBody("Not available", "This is not part of your account's service."),
                403
              ),
            InvalidRequest: (error) => show("Cannot do that", "", messageBody("Cannot do that", error.message), 400),
            InvalidCursor: () =>
              show(
                "Page expired",
                "",
                messageBody("Page expired", "That page link no longer fits the list; start again."),
                400
              )
          }),
          Effect.catchTags({ SqlError: Effect.die, RenderError: Effect.die })
        )

    /** Runs a handler with the request's client in the audit context. */
    const route = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      Effect.flatMap(clientInfo, (client) =>
        Effect.provideService(handler, AuditContext, { ip: client.ip, userAgent: client.userAgent })
      )

    const activeAccount = Effect.flatMap(Effect.service(CurrentPrincipal), (principal) => {
      const id = activeAccountOf(principal)
      return id === undefined ? Effect.die("a system principal has no pages") : Effect.succeed(AccountId.make(id))
    })

    /** A one-invoice link is sent to its invoice from the account-wide pages. */
    const oneInvoiceRedirect = Effect.map(Effect.service(CurrentPrincipal), (principal) =>
      principal._tag === "LinkPrincipal" && principal.invoiceId !== undefined
        ? HttpServerResponse.redirect(pagePaths.invoice(principal.invoiceId), { status: 303 })
        : undefined
    )

    yield* router.add(
      "GET",
      pagePaths.overview,
      route(
        oneTransaction(
          Effect.gen(function* () {
            const redirect = yield* oneInvoiceRedirect
            if (redirect !== undefined) return redirect
            const overview = yield* portal.overview(yield* activeAccount)
            return yield* show("My account", pagePaths.overview, overviewBody(format, overview))
          }).pipe(refusals({ hideDenial: false }))
        )
      )
    )

    const activityPage = (form: ReturnType<typeof activityForm>, error?: string) =>
      Effect.gen(function* () {
        const principal = yield* CurrentPrincipal
        const accountId = yield* activeAccount
        const accounts = yield* portal.accounts.pipe(Effect.orDie)
        const account = accounts.find((a) => a.id === accountId)
        if (account === undefined) return yield* notFound
        const request = activityRequest(form, account.currency)
        const activity = yield* portal.activity(accountId, Result.isSuccess(request) ? request.success : {})
        const canBulk = can(principal, "download", accountId)
        const canPay = pluginOn("payments", account.tier) && can(principal, "pay", accountId)
        const problem = error ?? (Result.isFailure(request) ? request.failure : undefined)
        return yield* show(
          "Activity",
          pagePaths.activity,
          activityBody(format, activity, form, { csrf: yield* csrf.token, canBulk, canPay, error: problem }),
          problem === undefined ? 200 : 400,
          yield* visitorWith(accounts)
        )
      })

    yield* router.add(
      "GET",
      pagePaths.activity,
      route(
        oneTransaction(
          Effect.gen(function* () {
            const redirect = yield* oneInvoiceRedirect
            if (redirect !== undefined) return redirect
            return yield* activityPage(activityForm((yield* requestUrl).searchParams))
          }).pipe(refusals({ hideDenial: false }))
        )
      )
    )

    yield* router.add(
      "POST",
      pagePaths.activityExport,
      route(
        Effect.gen(function* () {
          const body = yield* formBody
          const form = activityForm(body)
          const chosen = body.getAll("invoice").filter(isInvoiceId)
          const accountId = yield* activeAccount
          if (body.get("action") === "zip") {
            if (chosen.length === 0) return yield* activityPage(form, "Select the invoices to download first.")
            const archive = yield* portal.bulkZip(accountId, chosen)
            return HttpServerResponse.stream(archive.stream, {
              contentType: "application/zip",
              headers: {
                "cache-control": "no-store",
                "content-disposition": `attachment; filename="${archive.fileName}"`
              }
            })
          }
          const account = (yield* portal.accounts.pipe(Effect.orDie)).find((a) => a.id === accountId)
          if (account === undefined) return yield* notFound
          const request = activityRequest(form, account.currency)
          const file = yield* portal.exportCsv(accountId, {
            invoiceIds: chosen,
            request: Result.isSuccess(request) ? request.success : {}
          })
          return attachment(file)
        }).pipe(refusals({ hideDenial: true }))
      )
    )

    const invoiceId = Effect.map(HttpRouter.params, (params) => params.id ?? "")

    yield* router.add(
      "GET",
      "/invoices/:id",
      route(
        oneTransaction(
          Effect.gen(function* () {
            const id = yield* invoiceId
            if (!isInvoiceId(id)) return yield* notFound
            const data = yield* portal.invoice(id)
            // The comments plugin's thread, when the portal composed it and the account's tier has it.
            const thread = pluginOn("comments", data.account.tier)
              ? html`<p class="invoice-thread"><a href="/plugins/comments/invoices/${encodeURIComponent(id)}">Questions about this invoice</a></p>`
              : ""
            // The payments plugin's pay page, likewise, for an open invoice and a principal who may pay.
            const summary = data.detail.summary
            const pay =
              pluginOn("payments", data.account.tier) &&
              can(yield* CurrentPrincipal, "pay", data.account.id) &&
              summary.open.minor > 0 &&
              summary.statusAsOf !== "disputed"
                ? html`<p class="invoice-pay"><a class="button" href="${paymentPaths.payInvoice(id)}">Pay this invoice</a></p>`
                : ""
            return yield* show(
              `Invoice ${data.detail.invoice.number}`,
              pagePaths.activity,
              html`${invoiceBody(format, data)}${pay}${thread}`
            )
          }).pipe(refusals({ hideDenial: true }))
        )
      )
    )

    yield* router.add(
      "GET",
      "/invoices/:id/pdf",
      route(
        Effect.gen(function* () {
          const id = yield* invoiceId
          if (!isInvoiceId(id)) return yield* notFound
          return attachment(yield* portal.invoicePdf(id))
        }).pipe(refusals({ hideDenial: true }))
      )
    )

    yield* router.add(
      "GET",
      "/invoices/:id/document",
      route(
        oneTransaction(
          Effect.gen(function* () {
            const id = yield* invoiceId
            if (!isInvoiceId(id)) return yield* notFound
            const data = yield* portal.invoice(id)
            const page = yield* files.html(data.view)
            return htmlResponse(page)
          }).pipe(refusals({ hideDenial: true }))
        )
      )
    )

    const statementFromQuery = Effect.gen(function* () {
      const url = yield* requestUrl
      return statementForm(url.searchParams, yield* asOfToday)
    })

    yield* router.add(
      "GET",
      pagePaths.statements,
      route(
        oneTransaction(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const accountId = yield* activeAccount
            const form = yield* statementFromQuery
            const result = yield* portal.statement(accountId, statementRequest(form))
            return yield* show(
              "Statement",
              pagePaths.statements,
              statementBody(format, result, form, can(principal, "download", accountId))
            )
          }).pipe(refusals({ hideDenial: false }))
        )
      )
    )

    yield* router.add(
      "GET",
      pagePaths.statementPdf,
      route(
        Effect.gen(function* () {
          const form = yield* statementFromQuery
          return attachment(yield* portal.statementPdf(yield* activeAccount, statementRequest(form)))
        }).pipe(refusals({ hideDenial: false }))
      )
    )

    yield* router.add(
      "GET",
      pagePaths.documents,
      route(
        oneTransaction(
          Effect.gen(function* () {
            const principal = yield* CurrentPrincipal
            const accountId = yield* activeAccount
            const documents = yield* portal.documents(accountId)
            return yield* show(
              "Documents",
              pagePaths.documents,
              documentsBody(
                documents,
                can(
                  principal,
                  "download",
                  accountId,
                  principal._tag === "LinkPrincipal" ? principal.invoiceId : undefined
                )
              )
            )
          }).pipe(refusals({ hideDenial: false }))
        )
      )
    )

    yield* router.add(
      "GET",
      "/documents/:id",
      route(
        Effect.gen(function* () {
          const id = (yield* HttpRouter.params).id ?? ""
          if (!isDocumentId(id)) return yield* notFound
          return attachment(yield* portal.document(id))
        }).pipe(refusals({ hideDenial: true }))
      )
    )

    /**
     * A settings page: GET shows the form (saying "saved" after a save); POST reads it, saves it and redirects
     * back (303 to `?saved=1`), or shows the form again with the reason (400) when it cannot be read.
     */
    const settingsPage = <A, U, R1, R2>(page: {
      readonly path: HttpRouter.PathInput
      readonly title: string
      readonly load: Effect.Effect<A, PortalError, R1>
      readonly body: (
        current: A,
        form: { readonly csrf: string; readonly saved: boolean; readonly error?: string | undefined }
      ) => Html
      readonly read: (form: URLSearchParams) => Result.Result<U, string>
      readonly save: (update: U) => Effect.Effect<void, PortalError, R2>
    }) =>
      Effect.gen(function* () {
        yield* router.add(
          "GET",
          page.path,
          route(
            oneTransaction(
              Effect.gen(function* () {
                const current = yield* page.load
                const saved = (yield* requestUrl).searchParams.get("saved") === "1"
                return yield* show(page.title, page.path, page.body(current, { csrf: yield* csrf.token, saved }))
              }).pipe(refusals({ hideDenial: false }))
            )
          )
        )
        yield* router.add(
          "POST",
          page.path,
          route(
            Effect.gen(function* () {
              const update = page.read(yield* formBody)
              if (Result.isFailure(update)) {
                const current = yield* page.load
                const body = page.body(current, { csrf: yield* csrf.token, saved: false, error: update.failure })
                return yield* show(page.title, page.path, body, 400)
              }
              yield* page.save(update.success)
              return HttpServerResponse.redirect(`${page.path}?saved=1`, { status: 303 })
            }).pipe(refusals({ hideDenial: false }))
          )
        )
      })

    yield* settingsPage({
      path: pagePaths.billing,
      title: "Billing details",
      load: Effect.flatMap(activeAccount, portal.billingDetails),
      body: billingBody,
      read: billingUpdate,
      save: (update) => Effect.flatMap(activeAccount, (accountId) => portal.updateBillingDetails(accountId, update))
    })

    yield* settingsPage({
      path: pagePaths.notifications,
      title: "Notifications",
      load: portal.notificationSettings,
      body: notificationsBody,
      read: (form) => Result.succeed(notificationSettingsFrom(form)),
      save: portal.updateNotificationSettings
    })

    // Live status: server-sent events of the principal's own accounts (see core/portal/LiveStatus.ts), with a
    // comment line every 25 s so proxies keep the connection open.
    yield* router.add(
      "GET",
      pagePaths.events,
      Effect.gen(function* () {
        const changes = Stream.unwrap(liveChanges).pipe(
          Stream.map((change) => `event: change\ndata: ${JSON.stringify(change)}\n\n`)
        )
        const keepAlive = Stream.tick("25 seconds").pipe(Stream.map(() => ": keep-alive\n\n"))
        const body = Stream.concat(Stream.succeed("retry: 5000\n\n"), Stream.merge(changes, keepAlive))
        const context = yield* Effect.context<CurrentPrincipal | DomainEvents>()
        return HttpServerResponse.stream(Stream.encodeText(body).pipe(Stream.provideContext(context)), {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-store", "x-accel-buffering": "no" }
        })
      })
    )
  })
).pipe(Layer.provide(AuthMiddleware.layer))
