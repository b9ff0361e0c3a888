// `portico link`: sign-in links from the shell. `create` signs a link for a contact, an account or one
// invoice (recorded, so it can be listed and revoked); `list` and `revoke` manage an account's links;
// `new-key` makes an API key for the host-app link API and prints the hash to configure.
import { randomBytes } from "node:crypto"
import { Console, Duration, Effect, Layer, Option, type Redacted, Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { apiKeyHash } from "../../../../starter/auth/ApiKeys.ts"
import { AuthSettings } from "../../../../starter/auth/AuthSettings.ts"
import { MagicLinks } from "../../../../starter/auth/MagicLinks.ts"
import { safeReturnTo } from "../../../../starter/auth/Paths.ts"
import { fileAndStore, portalFlags, sectionOverrides } from "../../../../starter/config/PortalFlags.ts"
import { resolvePortalSettings } from "../../../../starter/config/PortalSettings.ts"
import { starterPortalMigrations } from "../../../../starter/plugins/StarterPlugins.ts"
import { CurrentPrincipal, system } from "../../../access/Principal.ts"
import { AuditLog } from "../../../audit/AuditLog.ts"
import { AccountId, ContactId, InvoiceId } from "../../../domain/Ids.ts"
import * as StoreLayer from "../../../store/StoreLayer.ts"
import { CommandFailed, UsageError } from "../../CliFailure.ts"
import { failureDetail } from "../../internal/failureDetail.ts"

// What the link commands need of the portal's settings: where the store is, the secret, the public URL.
const settingsFlags = {
  config: portalFlags.config,
  databaseUrl: portalFlags.databaseUrl,
  dataDir: portalFlags.dataDir,
  publicUrl: portalFlags.publicUrl,
  secret: portalFlags.secret
}

const none = Option.none()

const isTagged = (error: unknown, tag: string): boolean =>
  typeof error === "object" && error !== null && "_tag" in error && error._tag === tag

/** Runs `effect` with MagicLinks and AuditLog over the configured (and migrated) store, as the shell user. */
const withLinks = <A, E>(
  flags: {
    readonly config: Option.Option<string>
    readonly databaseUrl: Option.Option<Redacted.Redacted<string>>
    readonly dataDir: Option.Option<string>
    readonly publicUrl: Option.Option<string>
    readonly secret: Option.Option<Redacted.Redacted<string>>
  },
  effect: Effect.Effect<A, E, MagicLinks | AuditLog | CurrentPrincipal>
) =>
  Effect.gen(function* () {
    const all = {
      ...flags,
      host: none,
      port: none,
      demo: none,
      smtpUrl: none,
      mailFrom: none,
      ssoSignInUrl: none,
      frameAncestors: none,
      apiKeys: none,
      analyticsId: none,
      trustProxy: none,
      plugins: none
    }
    const { file, store } = yield* fileAndStore(all)
    const settings = yield* resolvePortalSettings({ file, store, overrides: sectionOverrides(all) }).pipe(
      Effect.mapError((error) => new UsageError({ detail: error.message }))
    )
    const layer = MagicLinks.layer.pipe(
      Layer.provideMerge(AuthSettings.layer(settings.auth)),
      Layer.provideMerge(StoreLayer.layer(settings.store, starterPortalMigrations))
    )
    return yield* effect.pipe(
      Effect.provide(layer),
      Effect.provideService(CurrentPrincipal, system("portico link (command line)")),
      Effect.mapError((error) =>
        isTagged(error, "SqlError") || isTagged(error, "MigrationError") || isTagged(error, "EmbeddedStartError")
          ? new CommandFailed({ detail: `portico link: ${failureDetail(error)}` })
          : error
      )
    )
  })

const createCommand = Command.make(
  "create",
  {
    ...settingsFlags,
    contact: Flag.String("contact").pipe(
      Flag.withSchema(ContactId),
      Flag.withDescription("Sign this contact in"),
      Flag.optional
    ),
    account: Flag.String("account").pipe(
      Flag.withSchema(AccountId),
      Flag.withDescription("Open this account (or, with --contact, sign the contact into it)"),
      Flag.optional
    ),
    invoice: Flag.String("invoice").pipe(
      Flag.withSchema(InvoiceId),
      Flag.withDescription("Open this one invoice only"),
      Flag.optional
    ),
    expires: Flag.String("expires").pipe(
      Flag.withSchema(Schema.DurationFromString),
      Flag.withDescription(
        'How long the link works, e.g. "15 minutes", "7 days" (default 15 minutes for a contact, 7 days otherwise)'
      ),
      Flag.optional
    ),
    returnTo: Flag.String("return-to").pipe(Flag.withDescription("Portal path to open after signing in"), Flag.optional)
  },
  Effect.fn("portico.link.create")(function* (flags) {
    const returnTo = Option.getOrUndefined(flags.returnTo)
    if (returnTo !== undefined && safeReturnTo(returnTo) === undefined) {
      return yield* new UsageError({ detail: "--return-to must be a path on the portal, such as /invoices/INV-1" })
    }
    const contactOnly = Option.isSome(flags.contact) && Option.isNone(flags.invoice)
    const ttl = Option.getOrElse(flags.expires, () => (contactOnly ? Duration.minutes(15) : Duration.days(7)))
    const issued = yield* withLinks(
      flags,
      Effect.gen(function* () {
        const links = yield* MagicLinks
        const audit = yield* AuditLog
        const link = yield* links
          .create({
            contactId: Option.getOrUndefined(flags.contact),
            accountId: Option.getOrUndefined(flags.account),
            invoiceId: Option.getOrUndefined(flags.invoice),
            returnTo: safeReturnTo(returnTo),
            ttl
          })
          .pipe(
            Effect.mapError((error) =>
              error._tag === "LinkRequestInvalid" ? new UsageError({ detail: error.detail }) : error
            )
          )
        yield* audit.append({
          action: "link-created",
          outcome: "success",
          accountId: link.grant.accountId,
          records: [{ kind: "signed-link", id: link.grant.id }]
        })
        return link
      })
    )
    yield* Console.error(
      `${issued.kind} link ${issued.grant.id} for account ${issued.grant.accountId}, valid until ${new Date(issued.grant.expiresAt).toISOString()}`
    )
    yield* Console.log(issued.url)
  })
).pipe(
  Command.withDescription("Print a sign-in link for a contact, an account or one invoice"),
  Command.withExamples([
    {
      command: "portico link create --contact demo:K1",
      description: "A single-use sign-in link for a contact (15 minutes)"
    },
    {
      command: 'portico link create --invoice demo:INV-1004 --expires "30 days"',
      description: "A link that opens one invoice"
    }
  ])
)

const listCommand = Command.make(
  "list",
  {
    ...settingsFlags,
    account: Flag.String("account").pipe(Flag.withSchema(AccountId), Flag.withDescription("The account"))
  },
  Effect.fn("portico.link.list")(function* (flags) {
    const links = yield* withLinks(
      flags,
      Effect.flatMap(Effect.service(MagicLinks), (service) => service.list(flags.account))
    )
    for (const link of links) {
      const state =
        link.revokedAt !== null
          ? `revoked ${link.revokedAt.toISOString()}`
          : `expires ${new Date(link.grant.expiresAt).toISOString()}`
      const target =
        link.grant.invoiceId ?? (link.grant.contactId === undefined ? "account" : `contact ${link.grant.contactId}`)
      yield* Console.log(`${link.grant.id}\t${target}\t${state}`)
    }
  })
).pipe(Command.withDescription("List an account's links, newest first"))

const revokeCommand = Command.make(
  "revoke",
  { ...settingsFlags, id: Flag.String("id").pipe(Flag.withDescription("The link's id")) },
  Effect.fn("portico.link.revoke")(function* (flags) {
    const revoked = yield* withLinks(
      flags,
      Effect.gen(function* () {
        const links = yield* MagicLinks
        const audit = yield* AuditLog
        const link = yield* links
          .revoke(flags.id)
          .pipe(
            Effect.mapError((error) =>
              error._tag === "NotFound" ? new UsageError({ detail: `no link ${flags.id}` }) : error
            )
          )
        yield* audit.append({
          action: "link-revoked",
          outcome: "success",
          accountId: link.grant.accountId,
          records: [{ kind: "signed-link", id: link.grant.id }]
        })
        return link
      })
    )
    yield* Console.log(`revoked ${revoked.grant.id}`)
  })
).pipe(Command.withDescription("Revoke a link: it stops working, and so do the sessions opened with it"))

const newKeyCommand = Command.make(
  "new-key",
  {
    id: Flag.String("id").pipe(
      Flag.withDescription("A name for the key (shown in the audit log)"),
      Flag.withDefault("host-app")
    )
  },
  Effect.fn("portico.link.newKey")(function* (flags) {
    const key = randomBytes(32).toString("base64url")
    yield* Console.error("Give the key to the host app; configure only its hash (the portal never stores the key):")
    yield* Console.log(`key:    ${key}`)
    yield* Console.log(`config: "apiKeys": [{ "id": ${JSON.stringify(flags.id)}, "sha256": "${apiKeyHash(key)}" }]`)
    yield* Console.log(`env:    PORTICO_API_KEY_SHA256=${flags.id}:${apiKeyHash(key)}`)
  })
).pipe(Command.withDescription("Make an API key for the host-app link API and print the hash to configure"))

/** `portico link create | list | revoke | new-key`. */
export const linkCommand = Command.make("link").pipe(
  Command.withDescription("Sign-in links from the shell"),
  Command.withSubcommands([createCommand, listCommand, revokeCommand, newKeyCommand])
)
