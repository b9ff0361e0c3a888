// What sign-in needs to know from the portal's configuration: the master secret its keys derive from,
// lifetimes, rate limits, host-app single sign-on, API key hashes and the signed-link keys.
import { createHmac } from "node:crypto"
import { Context, type Duration, Layer, Redacted } from "effect"
import type { SigningKeys } from "../../core/access/SignedLink.ts"

/** Host-app single sign-on: visitors who are not signed in are sent to `signInUrl` with a return-to parameter. */
export interface SsoSettings {
  /** An absolute http(s) URL of the host app's sign-in page. */
  readonly signInUrl: string
  /** The query parameter carrying the portal path to come back to (default `return_to`). */
  readonly returnToParam: string
}

/** A request count allowed per window. */
export interface RateLimit {
  readonly limit: number
  readonly window: Duration.Duration
}

/** The settings sign-in reads. Build them with `AuthSettings.make`, usually from `PortalConfig`. */
export interface AuthSettingsShape {
  /** The portal's public origin and base (`https://billing.example.com`): links in mail, Secure cookies. */
  readonly publicUrl: URL
  /** The master secret (at least 32 characters); session, CSRF and sealing keys are derived from it. */
  readonly secret: Redacted.Redacted<string>
  /** Keys signing magic links, newest first. */
  readonly linkKeys: SigningKeys
  /** sha256 (hex) of each API key the host-app link API accepts, with a name for the audit log. */
  readonly apiKeys: ReadonlyArray<{ readonly id: string; readonly sha256: string }>
  readonly sessionTtl: Duration.Duration
  readonly emailLinkTtl: Duration.Duration
  /** Sign-in attempts per e-mail address and per IP address. */
  readonly rateLimits: { readonly perEmail: RateLimit; readonly perIp: RateLimit }
  readonly sso: SsoSettings | undefined
  /** Take the client address from `X-Forwarded-For` (only behind a proxy you run). */
  readonly trustProxy: boolean
  /** Demo mode: the local mail page `/dev/mail` is served. */
  readonly demo: boolean
}

/** Sign-in settings as a service. */
export class AuthSettings extends Context.Service<AuthSettings, AuthSettingsShape>()("portico/starter/AuthSettings") {
  static readonly layer = (settings: AuthSettingsShape): Layer.Layer<AuthSettings> =>
    Layer.succeed(AuthSettings, settings)
}

/** Whether cookies get `Secure`: whenever the portal is served over https. */
export const secureCookies = (settings: AuthSettingsShape): boolean => settings.publicUrl.protocol === "https:"

/**
 * A key for one purpose, derived from the master secret (HMAC-SHA256 of the purpose), so a key leaked
 * from one use (say, CSRF) says nothing about another (sessions).
 */
export const deriveKey = (secret: Redacted.Redacted<string>, purpose: "session" | "csrf" | "seal" | "links"): Buffer =>
  createHmac("sha256", Redacted.value(secret)).update(`portico/starter/${purpose}`).digest()
