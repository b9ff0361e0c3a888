// The public sign-in routes: the e-mail form and its link, magic links from host apps, the second-factor
// and recovery prompts. Every form is CSRF-checked (Csrf.middleware); attempts are rate limited and audited.
import { Duration, Effect, Layer, Option, Schema } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { CurrentPrincipal, system } from "../../core/access/Principal.ts"
import { Email } from "../../core/domain/Contact.ts"
import { Accounts } from "../../core/store/Accounts.ts"
import { Branding } from "../server/Branding.ts"
import { html } from "../server/Html.ts"
import { AuthAudit, type AuthEvent } from "./AuthAudit.ts"
import { Authentication } from "./AuthMiddleware.ts"
import { AuthSettings } from "./AuthSettings.ts"
import { clientInfo } from "./ClientInfo.ts"
import { Csrf } from "./Csrf.ts"
import { formFields, queryParam } from "./internal/forms.ts"
import { LoginTokens } from "./LoginTokens.ts"
import { MagicLinks } from "./MagicLinks.ts"
import { Mailer } from "./Mailer.ts"
import { paths, safeReturnTo } from "./Paths.ts"
import { RateLimiter } from "./RateLimiter.ts"
import type { Session } from "./Sessions.ts"
import { SignIn } from "./SignIn.ts"
import {
  confirmEmailLinkPage,
  rateLimitedPage,
  recoveryPage,
  refusedLinkPage,
  secondFactorPage,
  sentPage,
  signInPage
} from "./SignInPages.ts"
import { Totp } from "./Totp.ts"

const isEmail = Schema.is(Email)

/** The sign-in routes, with CSRF checks on their forms. */
export const SignInRoutes = HttpRouter.use((router) =>
  Effect.gen(function* () {
    const settings = yield* AuthSettings
    const branding = yield* Branding
    const csrf = yield* Csrf
    const auth = yield* Authentication
    const signIn = yield* SignIn
    const tokens = yield* LoginTokens
    const links = yield* MagicLinks
    const mailer = yield* Mailer
    const limiter = yield* RateLimiter
    const totp = yield* Totp
    const audit = yield* AuthAudit
    const accounts = yield* Accounts

    const record = (event: AuthEvent) => audit.record(event).pipe(Effect.provideService(AuthSettings, settings))
    const client = clientInfo.pipe(Effect.provideService(AuthSettings, settings))

    // Sends the link in the background, so the answer (and its timing) is the same for every address.
    const sendLink = (email: string, returnTo: string | undefined) =>
      Effect.gen(function* () {
        const contact = yield* accounts
          .contactByEmail(email)
          .pipe(Effect.provideService(CurrentPrincipal, system("e-mail sign-in lookup")), Effect.option)
        if (Option.isNone(contact)) {
          return yield* record({
            action: "sign-in-requested",
            outcome: "denied",
            reason: "no contact has this e-mail address",
            records: [{ kind: "email", id: email }]
          })
        }
        const token = yield* tokens.issue(contact.value.id, returnTo)
        const url = new URL(paths.emailLink, settings.publicUrl)
        url.searchParams.set("token", token)
        const name = branding.theme.businessName
        yield* mailer.send({
          to: contact.value.email,
          subject: `Your sign-in link for ${name}`,
          text: `Hello ${contact.value.name},\n\nOpen this link to sign in to ${name}'s customer portal:\n\n${url.toString()}\n\nIt works once and expires in ${Math.round(Duration.toMinutes(settings.emailLinkTtl))} minutes. If you did not ask for it, ignore this mail.\n`,
          html: html`<p>Hello ${contact.value.name},</p><p><a href="${url.toString()}">Sign in to ${name}'s customer portal</a>.</p><p>The link works once and expires soon. If you did not ask for it, ignore this mail.</p>`
            .value
        })
        const firstAccount = contact.value.links[0]?.accountId
        yield* record({
          action: "sign-in-requested",
          outcome: "success",
          reason: "sign-in link sent",
          records: [{ kind: "contact", id: contact.value.id }],
          ...(firstAccount === undefined ? {} : { accountId: firstAccount })
        })
      }).pipe(
        Effect.catchCause((cause) => Effect.logWarning("sending a sign-in link failed", cause)),
        Effect.forkDetach
      )

    const limited = (purpose: string, key: string, limit: typeof settings.rateLimits.perIp) =>
      limiter.hit(purpose, key, limit)

    // GET /sign-in: the form (already signed in: straight on).
    yield* router.add(
      "GET",
      paths.signIn,
      Effect.gen(function* () {
        const current = yield* auth.session.pipe(Effect.orDie)
        const returnTo = safeReturnTo(yield* queryParam("return_to"))
        if (Option.isSome(current) && current.value.stage === "complete") {
          return HttpServerResponse.redirect(returnTo ?? paths.home, { status: 303 })
        }
        return signInPage(branding, { csrf: yield* csrf.token, returnTo, mailAvailable: mailer.available })
      })
    )

    // POST /sign-in: ask for a link. Same answer for every address.
    yield* router.add(
      "POST",
      paths.signIn,
      Effect.gen(function* () {
        const field = yield* formFields
        const email = (field("email") ?? "").trim().toLowerCase()
        const returnTo = safeReturnTo(field("return_to"))
        if (!mailer.available) return HttpServerResponse.redirect(paths.signIn, { status: 303 })
        if (!isEmail(email) || email.length > 254) {
          return signInPage(branding, {
            csrf: yield* csrf.token,
            returnTo,
            mailAvailable: true,
            error: "Please enter an e-mail address such as name@example.com.",
            status: 400
          })
        }
        const { ip } = yield* client
        const allowed = yield* limited("sign-in-ip", ip ?? "unknown", settings.rateLimits.perIp).pipe(
          Effect.andThen(limited("sign-in-email", email, settings.rateLimits.perEmail)),
          Effect.as(undefined),
          Effect.catchTag("RateLimited", (error) => Effect.succeed(error))
        )
        if (allowed !== undefined) {
          yield* record({
            action: "sign-in-requested",
            outcome: "denied",
            reason: `rate limited (${allowed.bucket})`,
            records: [{ kind: "email", id: email }]
          })
          return rateLimitedPage(branding, allowed.retryAfterSeconds)
        }
        yield* sendLink(email, returnTo)
        return HttpServerResponse.redirect(paths.signInSent, { status: 303 })
      }).pipe(Effect.orDie)
    )

    yield* router.add("GET", paths.signInSent, Effect.succeed(sentPage(branding, settings.demo)))

    // GET /auth/email?token=...: a button, so link scanners do not use the link up.
    yield* router.add(
      "GET",
      paths.emailLink,
      Effect.gen(function* () {
        const token = yield* queryParam("token")
        if (token === undefined || token.length > 200) return refusedLinkPage(branding, 400)
        return confirmEmailLinkPage(branding, { csrf: yield* csrf.token, token })
      })
    )

    // POST /auth/email: use the e-mail link.
    yield* router.add(
      "POST",
      paths.emailLink,
      Effect.gen(function* () {
        const field = yield* formFields
        const used = yield* tokens.consume(field("token") ?? "").pipe(Effect.result)
        if (used._tag === "Failure") {
          yield* record({ action: "sign-in", outcome: "denied", reason: `e-mail link ${used.failure.reason}` })
          return refusedLinkPage(branding, 400)
        }
        return yield* signIn.start(
          { kind: "contact", contactId: used.success.contactId },
          used.success.returnTo,
          "e-mail link"
        )
      }).pipe(Effect.orDie)
    )

    // GET /auth/link?token=...&return_to=...: a magic link from a host app (or `portico link create`).
    yield* router.add(
      "GET",
      paths.link,
      Effect.gen(function* () {
        const token = (yield* queryParam("token")) ?? ""
        const { ip } = yield* client
        // Only refused links count against the address, so many people behind one NAT can still come in.
        const followed = yield* limiter
          .peek("link-ip", ip ?? "unknown", settings.rateLimits.perIp)
          .pipe(Effect.andThen(links.follow(token)), Effect.result)
        if (followed._tag === "Failure") {
          const error = followed.failure
          if (error._tag === "SqlError") return yield* error
          if (error._tag !== "RateLimited") {
            yield* limiter.hit("link-ip", ip ?? "unknown", settings.rateLimits.perIp).pipe(Effect.ignore)
          }
          yield* record({
            action: "sign-in",
            outcome: "denied",
            reason: `magic link refused: ${error._tag}`,
            ...("linkId" in error ? { records: [{ kind: "signed-link", id: error.linkId }] } : {})
          })
          return error._tag === "RateLimited"
            ? rateLimitedPage(branding, error.retryAfterSeconds)
            : refusedLinkPage(branding, error._tag === "RevocationUnavailable" ? 503 : 403)
        }
        const { grant, signsInContact } = followed.success
        const returnTo =
          safeReturnTo(yield* queryParam("return_to")) ??
          (grant.invoiceId === undefined ? undefined : paths.invoice(grant.invoiceId))
        return yield* signIn.start(
          signsInContact === undefined
            ? { kind: "link", grant }
            : { kind: "contact", contactId: signsInContact, activeAccountId: grant.accountId },
          returnTo,
          `magic link ${grant.id}`
        )
      }).pipe(Effect.orDie)
    )

    // The second factor, for a session waiting for one.
    const pending = Effect.map(auth.session.pipe(Effect.orDie), (session) =>
      Option.filter(session, (s: Session) => s.stage === "second-factor" && s.principal._tag === "ContactPrincipal")
    )

    const secondFactor = (kind: "totp" | "recovery") =>
      Effect.gen(function* () {
        const session = yield* pending
        if (Option.isNone(session) || session.value.principal._tag !== "ContactPrincipal") {
          return HttpServerResponse.redirect(paths.signIn, { status: 303 })
        }
        const principal = session.value.principal
        const field = yield* formFields
        const code = field("code") ?? ""
        const retry = (error: string, status: number) =>
          Effect.map(csrf.token, (token) =>
            kind === "totp"
              ? secondFactorPage(branding, { csrf: token, error, status })
              : recoveryPage(branding, { csrf: token, error, status })
          )
        // Wrong codes count against the contact; a full bucket stops guessing until the window ends.
        const limit = yield* limiter.peek("second-factor", principal.contactId, settings.rateLimits.perEmail).pipe(
          Effect.as(undefined),
          Effect.catchTag("RateLimited", (error) => Effect.succeed(error))
        )
        if (limit !== undefined) {
          yield* record({ action: "second-factor", outcome: "denied", reason: "rate limited", principal })
          return rateLimitedPage(branding, limit.retryAfterSeconds)
        }
        const checked = yield* (
          kind === "totp" ? totp.verify(principal.contactId, code) : totp.useRecoveryCode(principal.contactId, code)
        ).pipe(Effect.result)
        if (checked._tag === "Failure") {
          if (checked.failure._tag === "SqlError") return yield* checked.failure
          yield* limiter.hit("second-factor", principal.contactId, settings.rateLimits.perEmail).pipe(Effect.ignore)
          yield* record({
            action: "second-factor",
            outcome: "denied",
            reason: `${kind}: ${checked.failure.reason}`,
            principal
          })
          return yield* retry(
            kind === "totp" ? "That code is not right. Try the current one." : "That recovery code is not valid.",
            400
          )
        }
        // A fresh session for the complete sign-in: the half-signed-in one is not promoted.
        const returnTo = session.value.returnTo
        yield* record({ action: "second-factor", outcome: "success", reason: kind, principal })
        return yield* signIn.start(
          { kind: "contact", contactId: principal.contactId, activeAccountId: principal.activeAccountId },
          returnTo,
          `second factor (${kind})`,
          true
        )
      }).pipe(Effect.orDie)

    yield* router.add(
      "GET",
      paths.secondFactor,
      Effect.gen(function* () {
        if (Option.isNone(yield* pending)) return HttpServerResponse.redirect(paths.signIn, { status: 303 })
        return secondFactorPage(branding, { csrf: yield* csrf.token })
      })
    )
    yield* router.add("POST", paths.secondFactor, secondFactor("totp"))
    yield* router.add(
      "GET",
      paths.recovery,
      Effect.gen(function* () {
        if (Option.isNone(yield* pending)) return HttpServerResponse.redirect(paths.signIn, { status: 303 })
        return recoveryPage(branding, { csrf: yield* csrf.token })
      })
    )
    yield* router.add("POST", paths.recovery, secondFactor("recovery"))

    // Sign out works from any session (also one waiting for its second factor).
    yield* router.add("POST", paths.signOut, Effect.orDie(signIn.end(paths.signIn)))
  })
).pipe(Layer.provide(Csrf.middleware))
