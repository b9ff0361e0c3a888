// The sign-in pages: e-mail form, "check your mail", link confirmation and refusal, second-factor and
// recovery prompts, two-factor enrolment and the demo mailbox. Plain forms that work without JavaScript;
// every value is escaped by `html`.
import type { BrandingShape } from "../server/Branding.ts"
import { type Html, html } from "../server/Html.ts"
import { page } from "../server/PageShell.ts"
import { csrfFieldName } from "./Csrf.ts"
import type { SentMail } from "./Mailer.ts"
import { paths } from "./Paths.ts"

const csrfInput = (token: string): Html => html`<input type="hidden" name="${csrfFieldName}" value="${token}">`
const returnInput = (returnTo: string | undefined): Html =>
  returnTo === undefined ? html`` : html`<input type="hidden" name="return_to" value="${returnTo}">`
const errorBox = (message: string | undefined): Html =>
  message === undefined ? html`` : html`<p class="error" role="alert">${message}</p>`

/** The e-mail sign-in form (or, without a mail route, how else to get in). */
export const signInPage = (
  branding: BrandingShape,
  options: {
    readonly csrf: string
    readonly returnTo: string | undefined
    readonly mailAvailable: boolean
    readonly error?: string
    readonly status?: number
  }
) =>
  page({
    branding,
    title: "Sign in",
    ...(options.status === undefined ? {} : { status: options.status }),
    body: options.mailAvailable
      ? html`<h1>Sign in</h1>
${errorBox(options.error)}
<p>Enter the e-mail address ${branding.theme.businessName} has for you. We will send you a link to sign in; there is no password.</p>
<form method="post" action="${paths.signIn}">
${csrfInput(options.csrf)}${returnInput(options.returnTo)}
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required maxlength="254">
<button type="submit">Send me a sign-in link</button>
</form>`
      : html`<h1>Sign in</h1>
<p>Sign in through the link ${branding.theme.businessName} sent you, or from the application you use with them.</p>`
  })

/** After the form: the same page whether or not the address belongs to anyone. */
export const sentPage = (branding: BrandingShape, demo: boolean) =>
  page({
    branding,
    title: "Check your mail",
    body: html`<h1>Check your mail</h1>
<p class="notice" role="status">If the address belongs to a customer contact, a sign-in link is on its way. It works once and expires soon.</p>
<p class="hint">Nothing arrived? Check your spam folder, or <a href="${paths.signIn}">ask for another link</a>.</p>
${demo ? html`<p class="hint">This is the demo: its mail is on the <a href="${paths.devMail}">demo mailbox page</a>.</p>` : ""}`
  })

/** The page an e-mail link opens: a button, so mail scanners that fetch links do not use the link up. */
export const confirmEmailLinkPage = (
  branding: BrandingShape,
  options: { readonly csrf: string; readonly token: string }
) =>
  page({
    branding,
    title: "Sign in",
    body: html`<h1>Sign in to ${branding.theme.businessName}</h1>
<form method="post" action="${paths.emailLink}">
${csrfInput(options.csrf)}<input type="hidden" name="token" value="${options.token}">
<button type="submit">Continue</button>
</form>`
  })

/** A link that cannot be used: expired, used, revoked or altered. Says which only in general terms. */
export const refusedLinkPage = (branding: BrandingShape, status: number) =>
  page({
    branding,
    title: "Link not valid",
    status,
    body: html`<h1>This link cannot be used</h1>
<p>It has expired, has been used already, or is no longer valid.</p>
<p><a href="${paths.signIn}">Sign in again</a> or ask for a new link.</p>`
  })

/** Too many attempts. */
export const rateLimitedPage = (branding: BrandingShape, retryAfterSeconds: number) =>
  page({
    branding,
    title: "Too many attempts",
    status: 429,
    body: html`<h1>Too many attempts</h1>
<p>Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.</p>`
  })

/** The second-factor prompt. */
export const secondFactorPage = (
  branding: BrandingShape,
  options: { readonly csrf: string; readonly error?: string; readonly status?: number }
) =>
  page({
    branding,
    title: "Two-factor code",
    ...(options.status === undefined ? {} : { status: options.status }),
    body: html`<h1>Enter your code</h1>
${errorBox(options.error)}
<form method="post" action="${paths.secondFactor}">
${csrfInput(options.csrf)}
<label for="code">Six-digit code from your authenticator app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit">Verify</button>
</form>
<p class="hint">Lost your device? <a href="${paths.recovery}">Use a recovery code</a>.</p>`
  })

/** The recovery-code prompt. */
export const recoveryPage = (
  branding: BrandingShape,
  options: { readonly csrf: string; readonly error?: string; readonly status?: number }
) =>
  page({
    branding,
    title: "Recovery code",
    ...(options.status === undefined ? {} : { status: options.status }),
    body: html`<h1>Use a recovery code</h1>
${errorBox(options.error)}
<form method="post" action="${paths.recovery}">
${csrfInput(options.csrf)}
<label for="code">One of the recovery codes you saved (each works once)</label>
<input id="code" name="code" type="text" autocomplete="off" maxlength="32" required>
<button type="submit">Verify</button>
</form>`
  })

/** The account's security page: two-factor status and the button to turn it on. */
export const securityPage = (
  branding: BrandingShape,
  options: { readonly csrf: string; readonly totpEnabled: boolean; readonly error?: string; readonly status?: number }
) =>
  page({
    branding,
    title: "Security",
    ...(options.status === undefined ? {} : { status: options.status }),
    body: html`<h1>Security</h1>
${errorBox(options.error)}
<h2>Two-factor sign-in</h2>
${
  options.totpEnabled
    ? html`<p class="notice">Two-factor sign-in is on: every sign-in asks for a code from your authenticator app.</p>`
    : html`<p>Ask for a code from an authenticator app each time you sign in.</p>
<form method="post" action="${paths.security}/totp">${csrfInput(options.csrf)}<button type="submit">Turn on two-factor sign-in</button></form>`
}
<h2>Sessions</h2>
<form method="post" action="${paths.signOut}">${csrfInput(options.csrf)}<button type="submit">Sign out</button></form>
<form method="post" action="${paths.security}/sign-out-everywhere">${csrfInput(options.csrf)}<button type="submit">Sign out on every device</button></form>`
  })

/** Enrolment: the QR code (a data: image), the secret for typing in, and the confirmation form. */
export const enrolPage = (
  branding: BrandingShape,
  options: { readonly csrf: string; readonly qrDataUrl: string; readonly secret: string; readonly error?: string }
) =>
  page({
    branding,
    title: "Turn on two-factor sign-in",
    body: html`<h1>Turn on two-factor sign-in</h1>
${errorBox(options.error)}
<ol>
<li>Scan this code with your authenticator app:<br><img class="qr" src="${options.qrDataUrl}" alt="QR code for your authenticator app"></li>
<li>Or type this key: <span class="secret">${options.secret}</span></li>
<li>Enter the six-digit code the app shows.</li>
</ol>
<form method="post" action="${paths.security}/totp/confirm">
${csrfInput(options.csrf)}
<label for="code">Code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit">Turn on</button>
</form>`
  })

/** The recovery codes, shown once after enrolment. */
export const recoveryCodesPage = (branding: BrandingShape, codes: ReadonlyArray<string>) =>
  page({
    branding,
    title: "Recovery codes",
    body: html`<h1>Two-factor sign-in is on</h1>
<p>Keep these recovery codes somewhere safe. Each one signs you in once if you lose your device. They are shown only now.</p>
<ul class="codes">${codes.map((code) => html`<li>${code}</li>`)}</ul>
<p><a href="${paths.home}">Continue</a></p>`
  })

const urlPattern = /(https?:\/\/[^\s<>"]+)/g

/** The demo mailbox: every message the demo sent, newest first, with its links clickable. */
export const devMailPage = (branding: BrandingShape, messages: ReadonlyArray<SentMail>) =>
  page({
    branding,
    title: "Demo mailbox",
    body: html`<h1>Demo mailbox</h1>
<p class="hint">Mail the demo portal sent. This page exists only in demo mode.</p>
${
  messages.length === 0
    ? html`<p>No mail yet. <a href="${paths.signIn}">Sign in</a> with a demo contact's address.</p>`
    : [...messages].reverse().map(
        (mail) => html`<article>
<h2>${mail.subject}</h2>
<p class="hint">To ${mail.to} · ${mail.sentAt.toISOString()}</p>
<p>${mail.text.split(urlPattern).map((part, index) => (index % 2 === 1 ? html`<a href="${part}">${part}</a>` : part))}</p>
</article>`
      )
}`
  })
