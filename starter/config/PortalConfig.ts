// The portal's configuration file section (`portal` in the `portico` JSON config, beside `database`):
// validated with Schema when the portal starts, so a bad value fails with the field's path. Secrets are
// `Redacted` and never printed.
import { Schema } from "effect"
import { SigningKeys } from "../../core/access/SignedLink.ts"
import { configFileFields } from "../../core/cli/ConfigFile.ts"
import { Theme } from "../../core/render/Theme.ts"
import { PluginTiers } from "../plugins/PluginTiers.ts"
import { PluginsSection } from "../plugins/StarterPlugins.ts"
import { isSourceExpression } from "../server/ContentSecurityPolicy.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** An absolute http(s) URL. */
export const HttpUrl = Schema.String.check(
  Schema.makeFilter((value: string) => {
    if (!URL.canParse(value)) return `expected an absolute URL such as https://billing.example.com, got "${value}"`
    const protocol = new URL(value).protocol
    return protocol === "https:" || protocol === "http:" || `expected an http(s) URL, got "${value}"`
  })
)

/** An https origin for the CSP (`https://cdn.example.com`, `https://*.example.com`). */
export const TrustedSource = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      isSourceExpression(value) || `expected an https origin such as https://cdn.example.com, got "${value}"`
  )
)

/** A stylesheet or script of the business: an https URL, or a path on the portal. */
export const AssetUrl = Schema.String.check(
  Schema.makeFilter(
    (value: string) =>
      (value.startsWith("/") && !value.startsWith("//")) ||
      (URL.canParse(value) && new URL(value).protocol === "https:") ||
      `expected an https URL or a /path, got "${value}"`
  )
)

/** The master secret: at least 32 characters (sessions, CSRF, sealing and, by default, link keys derive from it). */
export const MasterSecret = Schema.RedactedFromValue(Schema.String.check(Schema.isMinLength(32)))

/** An API key's id and the hex sha256 of the key (the key itself is never configured). */
export const ApiKeyHash = Schema.Struct({
  id: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9_.-]{1,64}$/)),
  sha256: Schema.String.check(Schema.isPattern(/^[0-9a-fA-F]{64}$/, { expected: "64 hex digits" }))
})

/** The `portal` section. Every field is optional; `resolvePortalSettings` fills defaults. */
export const PortalSection = Schema.Struct({
  /** Where customers reach the portal (used in mailed links; https turns on Secure cookies and HSTS). */
  publicUrl: Schema.optionalKey(HttpUrl),
  host: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())),
  port: Schema.optionalKey(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 65535 }))),
  secret: Schema.optionalKey(MasterSecret),
  /** Demo mode: demo data, and the local mailbox at /dev/mail instead of SMTP. */
  demo: Schema.optionalKey(Schema.Boolean),
  /** Trust X-Forwarded-For (only behind your own proxy). */
  trustProxy: Schema.optionalKey(Schema.Boolean),
  sessionTtlMinutes: Schema.optionalKey(PositiveInt),
  emailLinkTtlMinutes: Schema.optionalKey(PositiveInt),
  rateLimits: Schema.optionalKey(
    Schema.Struct({
      perEmail: Schema.optionalKey(PositiveInt),
      perIp: Schema.optionalKey(PositiveInt),
      windowSeconds: Schema.optionalKey(PositiveInt)
    })
  ),
  apiKeys: Schema.optionalKey(Schema.Array(ApiKeyHash)),
  /** Keys for magic links, newest first; default: one key derived from `secret`. */
  linkKeys: Schema.optionalKey(SigningKeys),
  smtp: Schema.optionalKey(
    Schema.Struct({
      url: Schema.RedactedFromValue(
        Schema.String.check(Schema.isPattern(/^smtps?:\/\//, { expected: "smtp:// or smtps:// URL" }))
      ),
      from: Schema.String.check(Schema.isNonEmpty())
    })
  ),
  sso: Schema.optionalKey(
    Schema.Struct({ signInUrl: HttpUrl, returnToParam: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())) })
  ),
  embedding: Schema.optionalKey(Schema.Struct({ frameAncestors: Schema.Array(TrustedSource) })),
  branding: Schema.optionalKey(
    Schema.Struct({
      theme: Schema.optionalKey(Theme),
      stylesheets: Schema.optionalKey(Schema.Array(AssetUrl)),
      scripts: Schema.optionalKey(Schema.Array(AssetUrl)),
      analyticsId: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^G-[A-Z0-9]{4,20}$/))),
      trustedSources: Schema.optionalKey(
        Schema.Struct({
          script: Schema.optionalKey(Schema.Array(TrustedSource)),
          style: Schema.optionalKey(Schema.Array(TrustedSource)),
          img: Schema.optionalKey(Schema.Array(TrustedSource)),
          font: Schema.optionalKey(Schema.Array(TrustedSource)),
          connect: Schema.optionalKey(Schema.Array(TrustedSource))
        })
      )
    })
  )
})
export type PortalSection = typeof PortalSection.Type

/**
 * The configuration file as the portal reads it: the store's `database` section, `portal`, `plugins` (each
 * plugin's settings by id; a plugin without an entry is not loaded) and `pluginTiers` (the account tiers a
 * plugin without a tier feature is on for; a plugin without an entry is on for every tier).
 */
export const PortalConfigFile = Schema.Struct({
  ...configFileFields,
  portal: Schema.optionalKey(PortalSection),
  plugins: Schema.optionalKey(PluginsSection),
  pluginTiers: Schema.optionalKey(PluginTiers)
})
export type PortalConfigFile = typeof PortalConfigFile.Type
