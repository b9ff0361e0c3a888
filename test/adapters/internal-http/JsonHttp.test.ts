// The status → ErpError reason table shared by the HTTP adapters, and the error-body spellings it reads.
import { assert, describe, it } from "@effect/vitest"
import { Duration } from "effect"
import { classifyThrottling, commonErrorMessage, statusError } from "../../../adapters/internal-http/JsonHttp.ts"

describe("statusError", () => {
  it("maps statuses to reasons, retryable exactly for 429, 408, 5xx", () => {
    const table = [401, 403, 404, 408, 409, 400, 422, 410, 429, 500, 502, 503, 504].map((status) => {
      const error = statusError(status, "m", "read invoices", undefined)
      return [status, error.reason._tag, error.retryable]
    })
    assert.deepStrictEqual(table, [
      [401, "Authentication", false],
      [403, "Authentication", false],
      [404, "NotFound", false],
      [408, "Timeout", true],
      [409, "Unknown", false],
      [400, "SchemaMismatch", false],
      [422, "SchemaMismatch", false],
      [410, "NotFound", false],
      [429, "RateLimited", true],
      [500, "Unknown", true],
      [502, "Unknown", true],
      [503, "Unknown", true],
      [504, "Timeout", true]
    ])
  })

  it("carries Retry-After on 429 and on a 503 that sends it", () => {
    const wait = Duration.seconds(9)
    assert.strictEqual(statusError(429, "m", "op", wait).retryAfter, wait)
    const unavailable = statusError(503, "m", "op", wait)
    assert.strictEqual(unavailable.reason._tag, "RateLimited")
    assert.strictEqual(unavailable.retryAfter, wait)
  })
})

describe("commonErrorMessage", () => {
  it("reads Business Central, Exact, problem JSON, OAuth2, Epicor and Odoo error bodies", () => {
    assert.strictEqual(commonErrorMessage({ error: { code: "BadRequest_NotFound", message: "not here" } }), "not here")
    assert.strictEqual(
      commonErrorMessage({ error: { code: "", message: { lang: "", value: "Exact says no" } } }),
      "Exact says no"
    )
    assert.strictEqual(
      commonErrorMessage({ type: "about:blank", title: "Bad Request", detail: "limit too big" }),
      "limit too big"
    )
    assert.strictEqual(
      commonErrorMessage({ error: "invalid_client", error_description: "client authentication failed" }),
      "client authentication failed"
    )
    assert.strictEqual(commonErrorMessage({ ErrorMessage: "Order 123 not found." }), "Order 123 not found.")
    assert.strictEqual(
      commonErrorMessage({
        jsonrpc: "2.0",
        error: { code: 200, message: "Odoo Server Error", data: { message: "Access Denied" } }
      }),
      "Access Denied"
    )
    assert.strictEqual(
      commonErrorMessage({
        title: "Bad Request",
        status: 400,
        "o:errorDetails": [{ detail: "Invalid search query", "o:errorCode": "INVALID_PARAMETER" }]
      }),
      "Invalid search query"
    )
    assert.isUndefined(commonErrorMessage("plain"))
  })

  it("treats NetSuite's CONCURRENCY_LIMIT_EXCEEDED as rate limiting whatever the status", () => {
    const body = {
      "o:errorDetails": [{ detail: "Too many concurrent requests", "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED" }]
    }
    const error = classifyThrottling(400, body, "Too many concurrent requests", "read")
    assert.strictEqual(error?.reason._tag, "RateLimited")
    assert.isTrue(error?.retryable)
    assert.isUndefined(classifyThrottling(400, { "o:errorDetails": [{ "o:errorCode": "USER_ERROR" }] }, "m", "read"))
  })
})
