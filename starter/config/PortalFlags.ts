// The portal's command-line flags, each falling back to an environment variable (named in `--help`), and
// how they become the store settings and the `portal` section overrides. Used by `npm start` and
// `portico serve`.
import { Config, Effect, Option, Path, Redacted, Schema } from "effect"
import { Flag } from "effect/cli"
import { readConfigFile } from "../../core/cli/ConfigFile.ts"
import { defaultDataDir } from "../../core/cli/DatabaseOptions.ts"
import type { StoreConfig } from "../../core/store/StoreConfig.ts"
import { PluginsSection } from "../plugins/StarterPlugins.ts"
import { PortalConfigFile } from "./PortalConfig.ts"
import { PortalConfigError, type PortalSectionInput } from "./PortalSettings.ts"

const text = (name: string, env: string, description: string) =>
  Flag.String(name).pipe(
    Flag.withDescription(`${description} [env ${env}]`),
    Flag.withFallbackConfig(Config.String(env)),
    Flag.optional
  )

const secretText = (name: string, env: string, description: string) =>
  Flag.Redacted(name).pipe(
    Flag.withDescription(`${description} [env ${env}] (a secret: never printed)`),
    Flag.withFallbackConfig(Config.Redacted(env)),
    Flag.optional
  )

const toggle = (name: string, env: string, description: string) =>
  Flag.Boolean(name).pipe(
    Flag.withDescription(`${description} [env ${env}]`),
    Flag.withFallbackConfig(Config.Boolean(env)),
    Flag.optional
  )

/** The flags every way of running the portal shares. */
export const portalFlags = {
  config: Flag.String("config").pipe(
    Flag.withAlias("c"),
    Flag.withDescription("JSON config file with `database` and `portal` sections (see docs/getting-started.md)"),
    Flag.optional
  ),
  databaseUrl: secretText(
    "database-url",
    "DATABASE_URL",
    "PostgreSQL server, e.g. postgres://user@host:5432/portico (default: embedded PGlite)"
  ),
  dataDir: text("data-dir", "PORTICO_DATA_DIR", `Folder of the embedded database (default ${defaultDataDir})`),
  host: text("host", "PORTICO_HOST", "Address to listen on (default 127.0.0.1)"),
  port: text("port", "PORTICO_PORT", "Port to listen on (default 3000)"),
  publicUrl: text("public-url", "PORTICO_PUBLIC_URL", "The portal's public URL, e.g. https://billing.example.com"),
  secret: secretText("secret", "PORTICO_SECRET", "Master secret, 32+ characters (sessions, CSRF, links)"),
  demo: toggle("demo", "PORTICO_DEMO", "Demo mode: demo data and a local mailbox at /dev/mail"),
  smtpUrl: secretText("smtp-url", "PORTICO_SMTP_URL", "SMTP server for sign-in mail, e.g. smtps://user:pass@host:465"),
  mailFrom: text("mail-from", "PORTICO_MAIL_FROM", "Sender address of sign-in mail"),
  ssoSignInUrl: text(
    "sso-sign-in-url",
    "PORTICO_SSO_SIGN_IN_URL",
    "Host app sign-in URL; visitors who are not signed in are sent there with ?return_to="
  ),
  frameAncestors: text(
    "frame-ancestors",
    "PORTICO_FRAME_ANCESTORS",
    "Space-separated https origins allowed to frame the portal (default: none)"
  ),
  apiKeys: text(
    "api-key-sha256",
    "PORTICO_API_KEY_SHA256",
    "Link API keys as comma-separated id:sha256hex pairs (hash with `portico link hash-key`)"
  ),
  analyticsId: text("analytics-id", "PORTICO_ANALYTICS_ID", "Google Analytics 4 measurement id (G-...)"),
  trustProxy: toggle("trust-proxy", "PORTICO_TRUST_PROXY", "Take client addresses from X-Forwarded-For"),
  plugins: secretText(
    "plugins",
    "PORTICO_PLUGINS",
    'Plugin settings as JSON by plugin id, replacing the file\'s entries, e.g. {"comments":{},"analytics":{}}'
  )
}

/** What `portalFlags` parse to. */
export interface PortalFlagValues {
  readonly config: Option.Option<string>
  readonly databaseUrl: Option.Option<Redacted.Redacted<string>>
  readonly dataDir: Option.Option<string>
  readonly host: Option.Option<string>
  readonly port: Option.Option<string>
  readonly publicUrl: Option.Option<string>
  readonly secret: Option.Option<Redacted.Redacted<string>>
  readonly demo: Option.Option<boolean>
  readonly smtpUrl: Option.Option<Redacted.Redacted<string>>
  readonly mailFrom: Option.Option<string>
  readonly ssoSignInUrl: Option.Option<string>
  readonly frameAncestors: Option.Option<string>
  readonly apiKeys: Option.Option<string>
  readonly analyticsId: Option.Option<string>
  readonly trustProxy: Option.Option<boolean>
  readonly plugins: Option.Option<Redacted.Redacted<string>>
}

const some = <A, B>(option: Option.Option<A>, f: (a: A) => B): B | undefined =>
  Option.isSome(option) ? f(option.value) : undefined

/** The `portal` overrides the flags (and their environment variables) ask for, in the file's encoded form. */
export const sectionOverrides = (flags: PortalFlagValues): PortalSectionInput => {
  const smtpUrl = some(flags.smtpUrl, Redacted.value)
  const mailFrom = Option.getOrUndefined(flags.mailFrom)
  const entries: PortalSectionInput = {
    ...(Option.isSome(flags.host) ? { host: flags.host.value } : {}),
    ...(Option.isSome(flags.port) ? { port: Number(flags.port.value) } : {}),
    ...(Option.isSome(flags.publicUrl) ? { publicUrl: flags.publicUrl.value } : {}),
    ...(Option.isSome(flags.secret) ? { secret: Redacted.value(flags.secret.value) } : {}),
    ...(Option.isSome(flags.demo) ? { demo: flags.demo.value } : {}),
    ...(Option.isSome(flags.trustProxy) ? { trustProxy: flags.trustProxy.value } : {}),
    ...(smtpUrl !== undefined ? { smtp: { url: smtpUrl, from: mailFrom ?? "" } } : {}),
    ...(Option.isSome(flags.ssoSignInUrl) ? { sso: { signInUrl: flags.ssoSignInUrl.value } } : {}),
    ...(Option.isSome(flags.frameAncestors)
      ? { embedding: { frameAncestors: flags.frameAncestors.value.split(/\s+/).filter((s) => s !== "") } }
      : {}),
    ...(Option.isSome(flags.apiKeys)
      ? {
          apiKeys: flags.apiKeys.value
            .split(",")
            .filter((pair) => pair.trim() !== "")
            .map((pair) => {
              const [id = "", sha256 = ""] = pair.trim().split(":")
              return { id, sha256 }
            })
        }
      : {}),
    ...(Option.isSome(flags.analyticsId) ? { branding: { analyticsId: flags.analyticsId.value } } : {})
  }
  return entries
}

const decodePlugins = Schema.decodeUnknownEffect(Schema.fromJsonString(PluginsSection))

/**
 * The config file (empty without `--config`), with `--plugins`/PORTICO_PLUGINS replacing its `plugins`
 * entries of the same ids, and the store settings: `--database-url`/DATABASE_URL, else
 * the file's `database`, else `--data-dir`/PORTICO_DATA_DIR, else the embedded store in `.portico/data`.
 */
export const fileAndStore = Effect.fn("PortalFlags.fileAndStore")(function* (flags: PortalFlagValues) {
  const path = yield* Path.Path
  const read: PortalConfigFile = Option.isSome(flags.config)
    ? yield* readConfigFile(flags.config.value, PortalConfigFile)
    : {}
  // The JSON may hold secrets: the error names the field, never echoes the value.
  const plugins = Option.isSome(flags.plugins)
    ? yield* decodePlugins(Redacted.value(flags.plugins.value)).pipe(
        Effect.mapError(
          () =>
            new PortalConfigError({
              detail: '--plugins/PORTICO_PLUGINS: expected a JSON object of settings by plugin id, e.g. {"comments":{}}'
            })
        )
      )
    : undefined
  const file: PortalConfigFile =
    plugins === undefined ? read : { ...read, plugins: { ...(read.plugins ?? {}), ...plugins } }
  const fromFile: StoreConfig = file.database ?? {}
  const store: StoreConfig = Option.isSome(flags.databaseUrl)
    ? { ...fromFile, url: flags.databaseUrl.value }
    : fromFile.url !== undefined || fromFile.dataDir !== undefined
      ? fromFile
      : { ...fromFile, dataDir: path.resolve(Option.getOrElse(flags.dataDir, () => defaultDataDir)) }
  return { file, store }
})
