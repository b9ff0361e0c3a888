// The portal's settings resolved from the config file, flags and environment (flags and environment win
// over the file): what main.ts builds the layers from. Fails with a message naming the bad field.
import { Duration, Effect, Redacted, Schema } from "effect"
import type { SigningKeys } from "../../core/access/SignedLink.ts"
import type { JobWorkerOptions } from "../../core/jobs/JobWorker.ts"
import { contrastChecks, defaultTheme } from "../../core/render/Theme.ts"
import type { StoreConfig } from "../../core/store/StoreConfig.ts"
import { type AuthSettingsShape, deriveKey } from "../auth/AuthSettings.ts"
import type { PluginTiers } from "../plugins/PluginTiers.ts"
import { type PluginSettings, withPortalDefaults } from "../plugins/StarterPlugins.ts"
import type { BrandingShape } from "../server/Branding.ts"
import type { SecurityHeaderOptions } from "../server/SecurityHeaders.ts"
import { type PortalConfigFile, PortalSection } from "./PortalConfig.ts"

/** Everything the portal is built from. */
export interface PortalSettings {
  readonly store: StoreConfig
  readonly host: string
  readonly port: number
  readonly demo: boolean
  readonly auth: AuthSettingsShape
  readonly branding: BrandingShape
  readonly security: SecurityHeaderOptions
  readonly smtp: { readonly url: Redacted.Redacted<string>; readonly from: string } | undefined
  /** The `plugins` section (redacted: it holds secrets): which plugins to load and their raw settings. */
  readonly plugins?: PluginSettings
  /** `pluginTiers`: the account tiers each plugin without a tier feature is on for (absent: every tier). */
  readonly pluginTiers?: PluginTiers
  /** How the job workers of a portal with plugins run (default: one worker, polling every 5 seconds). */
  readonly jobs?: JobWorkerOptions
}

/** The configuration is missing something or has a bad value. */
export class PortalConfigError extends Schema.TaggedError<PortalConfigError>()("PortalConfigError", {
  detail: Schema.String
}) {
  override get message(): string {
    return `portal configuration: ${this.detail}`
  }
}

/** The `portal` section in its encoded (JSON) form, as flags and environment variables give it. */
export type PortalSectionInput = typeof PortalSection.Encoded

const merge = (base: PortalSectionInput, over: PortalSectionInput): PortalSectionInput => ({
  ...base,
  ...over,
  ...(base.rateLimits !== undefined && over.rateLimits !== undefined
    ? { rateLimits: { ...base.rateLimits, ...over.rateLimits } }
    : {}),
  ...(base.branding !== undefined && over.branding !== undefined
    ? { branding: { ...base.branding, ...over.branding } }
    : {})
})

const decodeSection = Schema.decodeUnknownEffect(PortalSection)
const encodeSection = Schema.encodeUnknownEffect(PortalSection)

/**
 * Resolves settings: the file's `portal` section overlaid with `overrides` (from flags and environment),
 * validated, with defaults: host 127.0.0.1, port 3000, public URL from them, sessions 12 h, e-mail links
 * 15 min, 5 sign-in requests per address and 30 per IP address per 15 min. Without a secret a demo gets
 * `demoSecret`; anything else fails.
 */
export const resolvePortalSettings = Effect.fn("PortalSettings.resolve")(function* (options: {
  readonly file: PortalConfigFile
  readonly overrides: PortalSectionInput
  readonly store: StoreConfig
  readonly demoSecret?: Redacted.Redacted<string>
}) {
  const fileSection =
    options.file.portal === undefined ? {} : yield* encodeSection(options.file.portal).pipe(Effect.orDie)
  const section = yield* decodeSection(merge(fileSection, options.overrides)).pipe(
    Effect.mapError((error) => new PortalConfigError({ detail: error.message }))
  )
  const failing =
    section.branding?.theme === undefined ? [] : contrastChecks(section.branding.theme.colors).filter((c) => !c.passes)
  if (failing.length > 0) {
    return yield* new PortalConfigError({
      detail: `portal.branding.theme.colors fail WCAG AA contrast: ${failing
        .map((c) => `${c.pair} is ${c.ratio.toFixed(2)}, needs ${c.required}`)
        .join("; ")}`
    })
  }
  const demo = section.demo ?? false
  const secret = section.secret ?? (demo ? options.demoSecret : undefined)
  if (secret === undefined) {
    return yield* new PortalConfigError({
      detail: "a secret of at least 32 characters is required: set PORTICO_SECRET, --secret or portal.secret"
    })
  }
  const host = section.host ?? "127.0.0.1"
  const port = section.port ?? 3000
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host
  const publicUrl = new URL(section.publicUrl ?? `http://${shownHost}:${port}`)
  const linkKeys: SigningKeys = section.linkKeys ?? [
    { id: "k1", secret: Redacted.make(deriveKey(secret, "links").toString("hex")) }
  ]
  const window = Duration.seconds(section.rateLimits?.windowSeconds ?? 900)
  const trusted = section.branding?.trustedSources
  const stylesheets = section.branding?.stylesheets ?? []
  const scripts = section.branding?.scripts ?? []
  const originsOf = (urls: ReadonlyArray<string>) =>
    urls.filter((url) => !url.startsWith("/")).map((url) => new URL(url).origin)
  const analyticsId = section.branding?.analyticsId
  return {
    store: options.store,
    host,
    port,
    demo,
    smtp: section.smtp,
    ...(options.file.plugins === undefined
      ? {}
      : { plugins: Redacted.make(withPortalDefaults(options.file.plugins, publicUrl)) }),
    ...(options.file.pluginTiers === undefined ? {} : { pluginTiers: options.file.pluginTiers }),
    auth: {
      publicUrl,
      secret,
      linkKeys,
      apiKeys: section.apiKeys ?? [],
      sessionTtl: Duration.minutes(section.sessionTtlMinutes ?? 720),
      emailLinkTtl: Duration.minutes(section.emailLinkTtlMinutes ?? 15),
      rateLimits: {
        perEmail: { limit: section.rateLimits?.perEmail ?? 5, window },
        perIp: { limit: section.rateLimits?.perIp ?? 30, window }
      },
      sso:
        section.sso === undefined
          ? undefined
          : { signInUrl: section.sso.signInUrl, returnToParam: section.sso.returnToParam ?? "return_to" },
      trustProxy: section.trustProxy ?? false,
      demo
    },
    branding: { theme: section.branding?.theme ?? defaultTheme, stylesheets, scripts, analyticsId },
    security: {
      https: publicUrl.protocol === "https:",
      frameAncestors: section.embedding?.frameAncestors ?? [],
      analytics: analyticsId !== undefined,
      trusted: {
        script: [...(trusted?.script ?? []), ...originsOf(scripts)],
        style: [...(trusted?.style ?? []), ...originsOf(stylesheets)],
        img: trusted?.img ?? [],
        font: trusted?.font ?? [],
        connect: trusted?.connect ?? []
      }
    }
  } satisfies PortalSettings
})
