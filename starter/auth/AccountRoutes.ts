// Signed-in routes of sign-in's own: the account switcher (for a contact of several accounts) and the
// security page where a contact turns on two-factor sign-in. Behind AuthMiddleware (session + CSRF).
import { Effect, Layer, Schema } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { AccountId } from "../../core/domain/Ids.ts"
import { Accounts } from "../../core/store/Accounts.ts"
import { Branding } from "../server/Branding.ts"
import { type Html, html } from "../server/Html.ts"
import { page } from "../server/PageShell.ts"
import { AuthAudit, type AuthEvent } from "./AuthAudit.ts"
import { AuthMiddleware, CurrentSession } from "./AuthMiddleware.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { Csrf, csrfFieldName } from "./Csrf.ts"
import { formFields } from "./internal/forms.ts"
import { paths, safeReturnTo } from "./Paths.ts"
import { sessionCookieName } from "./SessionCookie.ts"
import { Sessions } from "./Sessions.ts"
import { enrolPage, recoveryCodesPage, securityPage } from "./SignInPages.ts"
import { Totp } from "./Totp.ts"

const isAccountId = Schema.is(AccountId)

/**
 * The account switcher form for a page header: a select of the contact's accounts and a button, posting to
 * `/account/switch`. `accounts` are the contact's accounts with display names; `returnTo` the current path.
 */
export const accountSwitcher = (options: {
  readonly csrf: string
  readonly activeAccountId: string
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly returnTo?: string
}): Html =>
  options.accounts.length < 2
    ? html``
    : html`<form class="account-switcher" method="post" action="${paths.switchAccount}">
<input type="hidden" name="${csrfFieldName}" value="${options.csrf}">
${options.returnTo === undefined ? "" : html`<input type="hidden" name="return_to" value="${options.returnTo}">`}
<label for="account-switcher">Account</label>
<select id="account-switcher" name="accountId">
${options.accounts.map((account) => html`<option value="${account.id}"${account.id === options.activeAccountId ? html` selected` : ""}>${account.name}</option>`)}
</select>
<button type="submit">Switch</button>
</form>`

/** `/account/switch`, `/account/security` (two-factor enrolment) and `/account/security/sign-out-everywhere`. */
export const AccountRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const settings = yield* AuthSettings
    const branding = yield* Branding
    const csrf = yield* Csrf
    const sessions = yield* Sessions
    const totp = yield* Totp
    const audit = yield* AuthAudit
    const accounts = yield* Accounts
    const record = (event: AuthEvent) => audit.record(event).pipe(Effect.provideService(AuthSettings, settings))
    const contactOnly = page({
      branding,
      title: "Not available",
      status: 403,
      body: html`<h1>Not available</h1><p>This page is for signed-in contacts, not for shared links.</p>`
    })

    yield* router.add(
      "POST",
      paths.switchAccount,
      Effect.gen(function* () {
        const session = yield* CurrentSession
        const field = yield* formFields
        const requested = field("accountId") ?? ""
        const returnTo = safeReturnTo(field("return_to")) ?? paths.home
        const principal = session.principal
        if (
          principal._tag !== "ContactPrincipal" ||
          !isAccountId(requested) ||
          !principal.links.some((link) => link.accountId === requested)
        ) {
          yield* record({
            action: "account-switch",
            outcome: "denied",
            reason: "not an account of this contact",
            principal,
            records: [{ kind: "account", id: requested.slice(0, 200) }]
          })
          return HttpServerResponse.text("You cannot switch to that account.", { status: 403 })
        }
        yield* sessions.setActiveAccount(session.idHash, requested)
        yield* record({
          action: "account-switch",
          outcome: "success",
          principal: { ...principal, activeAccountId: requested },
          records: [{ kind: "account", id: requested }]
        })
        return HttpServerResponse.redirect(returnTo, { status: 303 })
      }).pipe(Effect.orDie)
    )

    yield* router.add(
      "GET",
      paths.security,
      Effect.gen(function* () {
        const { principal } = yield* CurrentSession
        if (principal._tag !== "ContactPrincipal") return contactOnly
        const enabled = yield* totp.enabled(principal.contactId)
        return securityPage(branding, { csrf: yield* csrf.token, totpEnabled: enabled })
      }).pipe(Effect.orDie)
    )

    // Ends every session of the contact, on every device, this one included.
    yield* router.add(
      "POST",
      `${paths.security}/sign-out-everywhere`,
      Effect.gen(function* () {
        const { principal } = yield* CurrentSession
        if (principal._tag !== "ContactPrincipal") return contactOnly
        const ended = yield* sessions.revokeContact(principal.contactId)
        yield* record({ action: "sign-out", outcome: "success", reason: `everywhere (${ended} sessions)`, principal })
        return HttpServerResponse.redirect(paths.signIn, { status: 303 }).pipe(
          HttpServerResponse.expireCookieUnsafe(sessionCookieName, { path: "/" })
        )
      }).pipe(Effect.orDie)
    )

    yield* router.add(
      "POST",
      `${paths.security}/totp`,
      Effect.gen(function* () {
        const { principal } = yield* CurrentSession
        if (principal._tag !== "ContactPrincipal") return contactOnly
        // The authenticator app shows the label: the contact's e-mail address when the store has it.
        const contact = yield* accounts.contact(principal.contactId).pipe(Effect.option)
        const label = contact._tag === "Some" ? contact.value.email : principal.contactId
        const begun = yield* totp.begin(principal.contactId, label).pipe(Effect.result)
        if (begun._tag === "Failure") {
          if (begun.failure._tag === "SqlError") return yield* begun.failure
          return securityPage(branding, {
            csrf: yield* csrf.token,
            totpEnabled: true,
            error: "Two-factor sign-in is already on.",
            status: 409
          })
        }
        return enrolPage(branding, {
          csrf: yield* csrf.token,
          qrDataUrl: begun.success.qrDataUrl,
          secret: begun.success.secretBase32
        })
      }).pipe(Effect.orDie)
    )

    yield* router.add(
      "POST",
      `${paths.security}/totp/confirm`,
      Effect.gen(function* () {
        const { principal } = yield* CurrentSession
        if (principal._tag !== "ContactPrincipal") return contactOnly
        const field = yield* formFields
        const confirmed = yield* totp.confirm(principal.contactId, field("code") ?? "").pipe(Effect.result)
        if (confirmed._tag === "Failure") {
          if (confirmed.failure._tag === "SqlError") return yield* confirmed.failure
          yield* record({ action: "totp-enabled", outcome: "denied", reason: confirmed.failure.reason, principal })
          return securityPage(branding, {
            csrf: yield* csrf.token,
            totpEnabled: confirmed.failure.reason === "already-enabled",
            error: "That code did not match. Start again and enter the code your app shows.",
            status: 400
          })
        }
        yield* record({ action: "totp-enabled", outcome: "success", principal })
        return recoveryCodesPage(branding, confirmed.success)
      }).pipe(Effect.orDie)
    )
  })
).pipe(Layer.provide(AuthMiddleware.layer))
