// The CSP builder: no inline script whatever is configured, forms kept on the portal unless origins are
// given for them, and only well-formed origins accepted.
import { assert, describe, it } from "@effect/vitest"
import {
  contentSecurityPolicy,
  isSourceExpression,
  noTrustedSources
} from "../../../starter/server/ContentSecurityPolicy.ts"

describe("contentSecurityPolicy", () => {
  it("allows only same-origin script by default and nobody to frame", () => {
    const csp = contentSecurityPolicy({ trusted: noTrustedSources, frameAncestors: [], analytics: false })
    assert.include(csp, "script-src 'self';")
    assert.include(csp, "frame-ancestors 'none'")
    assert.notInclude(csp.split(";").find((d) => d.trim().startsWith("script-src")) ?? "", "unsafe")
  })

  it("adds trusted sites per directive, once each", () => {
    const csp = contentSecurityPolicy({
      trusted: { ...noTrustedSources, script: ["https://cdn.example.com", "https://cdn.example.com"] },
      frameAncestors: ["https://app.example.com"],
      analytics: false
    })
    assert.include(csp, "script-src 'self' https://cdn.example.com;")
    assert.include(csp, "frame-ancestors https://app.example.com")
  })

  it("lets forms go to the portal only, unless origins are given for form-action", () => {
    const options = { trusted: noTrustedSources, frameAncestors: [], analytics: false }
    assert.include(contentSecurityPolicy(options), "; form-action 'self';")
    const paying = contentSecurityPolicy({ ...options, formAction: ["https://checkout.stripe.com"] })
    assert.include(paying, "; form-action 'self' https://checkout.stripe.com;")
  })

  it("accepts https origins and refuses anything that could add a directive or a keyword", () => {
    assert.isTrue(isSourceExpression("https://cdn.example.com"))
    assert.isTrue(isSourceExpression("https://*.example.com"))
    for (const bad of ["'unsafe-inline'", "http://cdn.example.com", "https://x.example; script-src *", "*", "data:"]) {
      assert.isFalse(isSourceExpression(bad), bad)
    }
  })
})
