// Sign-in as two layers for main.ts: the services (sessions, CSRF, tokens, TOTP, magic links, rate limits,
// audit) and the routes (sign-in pages, account switcher and security, host-app link API).
import { Layer } from "effect"
import { AccountRoutes } from "./AccountRoutes.ts"
import { AuthAudit } from "./AuthAudit.ts"
import { Authentication } from "./AuthMiddleware.ts"
import { Csrf } from "./Csrf.ts"
import { AuthHousekeeping } from "./Housekeeping.ts"
import { LinkApiRoutes } from "./LinkApiRoutes.ts"
import { LoginTokens } from "./LoginTokens.ts"
import { MagicLinks } from "./MagicLinks.ts"
import { RateLimiter } from "./RateLimiter.ts"
import { Sessions } from "./Sessions.ts"
import { SignIn } from "./SignIn.ts"
import { SignInRoutes } from "./SignInRoutes.ts"
import { Totp } from "./Totp.ts"

/**
 * Every sign-in service. Needs `AuthSettings`, a `Mailer`, and the store (`StoreLayer.layer`: Store, SqlClient,
 * AuditLog, SignedLinkStore, RevokedLinks, Accounts).
 */
export const AuthServices = Layer.mergeAll(Authentication.layer, SignIn.layer).pipe(
  Layer.provideMerge(
    Layer.mergeAll(
      Sessions.layer,
      AuthAudit.layer,
      Totp.layer,
      LoginTokens.layer,
      RateLimiter.layer,
      MagicLinks.layer,
      Csrf.layer,
      AuthHousekeeping.layer
    )
  )
)

/** Sign-in's routes: `/sign-in/...`, `/auth/...`, `/sign-out`, `/account/switch`, `/account/security`, `/api/links`. */
export const AuthRoutes = Layer.mergeAll(SignInRoutes, AccountRoutes, LinkApiRoutes)
