// The Content-Security-Policy: same-origin scripts only (no inline script at all, so no nonces), styles
// from the portal and inline (the HTML renderer's documents carry their own <style>), images also as
// data: URLs (QR codes, logos), the business's own trusted sites added per directive, who may frame the
// portal (`frame-ancestors`, for embedding in a host app), and where forms may send the browser besides the
// portal (`form-action`: a payment provider's hosted checkout, which a pay form redirects to).
/** Extra sources the business's own CSS, scripts and analytics need, per directive. */
export interface TrustedSources {
  readonly script: ReadonlyArray<string>
  readonly style: ReadonlyArray<string>
  readonly img: ReadonlyArray<string>
  readonly font: ReadonlyArray<string>
  readonly connect: ReadonlyArray<string>
}

export const noTrustedSources: TrustedSources = { script: [], style: [], img: [], font: [], connect: [] }

/** What the policy is built from. */
export interface CspOptions {
  readonly trusted: TrustedSources
  /** Origins allowed to frame the portal; empty means nobody (`'none'`). */
  readonly frameAncestors: ReadonlyArray<string>
  /** Add Google Analytics' script and collection origins. */
  readonly analytics: boolean
  /**
   * Origins a form's answer may redirect the browser to besides the portal (the payments plugin's
   * `checkoutOrigins`); browsers hold a form's redirects to `form-action` too.
   */
  readonly formAction?: ReadonlyArray<string>
}

const analyticsScript = ["https://www.googletagmanager.com"]
const analyticsConnect = [
  "https://www.google-analytics.com",
  "https://*.google-analytics.com",
  "https://*.analytics.google.com",
  "https://www.googletagmanager.com"
]

/** A source expression is an origin (`https://cdn.example.com`, `https://*.example.com`) without quotes or separators. */
export const isSourceExpression = (value: string): boolean =>
  /^https:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/.test(value)

const directive = (name: string, sources: ReadonlyArray<string>): string => [name, ...new Set(sources)].join(" ")

/** The policy's header value. */
export const contentSecurityPolicy = (options: CspOptions): string => {
  const { trusted } = options
  return [
    directive("default-src", ["'self'"]),
    directive("script-src", ["'self'", ...trusted.script, ...(options.analytics ? analyticsScript : [])]),
    directive("style-src", ["'self'", "'unsafe-inline'", ...trusted.style]),
    directive("img-src", ["'self'", "data:", ...trusted.img, ...(options.analytics ? analyticsConnect : [])]),
    directive("font-src", ["'self'", ...trusted.font]),
    directive("connect-src", ["'self'", ...trusted.connect, ...(options.analytics ? analyticsConnect : [])]),
    directive("frame-ancestors", options.frameAncestors.length === 0 ? ["'none'"] : options.frameAncestors),
    directive("form-action", ["'self'", ...(options.formAction ?? [])]),
    "base-uri 'none'",
    "object-src 'none'"
  ].join("; ")
}
