// The session cookie: its name and attributes (HttpOnly, SameSite=Lax, Secure over https, host-only).
import type { Cookies } from "effect/http"

/** The cookie carrying `<session id>.<HMAC>`. */
export const sessionCookieName = "portico_session"

/**
 * The session cookie's attributes. Lax (not Strict) so a link from the host app or an e-mail opens the
 * portal signed in; state changes are guarded by CSRF tokens, not by SameSite alone.
 */
export const sessionCookieOptions = (secure: boolean, expires: Date): NonNullable<Cookies.Cookie["options"]> => ({
  httpOnly: true,
  sameSite: "lax",
  secure,
  path: "/",
  expires
})
