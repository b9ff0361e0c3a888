// The portal paths sign-in links and redirects lead to, and the check that keeps return-to values local.

/** Where sign-in sends people. The customer pages serve these paths. */
export const paths = {
  home: "/",
  signIn: "/sign-in",
  signInSent: "/sign-in/sent",
  secondFactor: "/sign-in/second-factor",
  recovery: "/sign-in/recovery",
  emailLink: "/auth/email",
  link: "/auth/link",
  signOut: "/sign-out",
  switchAccount: "/account/switch",
  security: "/account/security",
  devMail: "/dev/mail",
  /** One invoice's page: where a one-invoice link opens. */
  invoice: (id: string): string => `/invoices/${encodeURIComponent(id)}`,
  statements: "/statements"
} as const

const maxReturnTo = 2048

/**
 * A return-to value if it is a path on this portal, else undefined: it must start with a single `/`, and
 * contain no backslash, control character or scheme, so `//evil.example`, `/\evil.example`,
 * `https://evil.example` and `javascript:` are all refused (they would send the visitor to another site).
 */
export const safeReturnTo = (value: string | undefined | null): string | undefined => {
  if (value === undefined || value === null || value.length === 0 || value.length > maxReturnTo) return undefined
  if (!value.startsWith("/") || value.startsWith("//")) return undefined
  if (value.includes("\\") || [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    return undefined
  }
  // Resolve against a placeholder origin: anything that leaves it is not a local path.
  const base = "http://portal.invalid"
  const url = new URL(value, base)
  if (url.origin !== base) return undefined
  return `${url.pathname}${url.search}${url.hash}`
}
