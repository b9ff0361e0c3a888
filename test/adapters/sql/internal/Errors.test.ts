// Secrets of a database URL: the whole URL and its password, as written and percent-decoded.
import { describe, expect, it } from "@effect/vitest"
import { urlSecrets } from "../../../../adapters/sql/internal/Errors.ts"

describe("urlSecrets", () => {
  it("finds the password as written and decoded", () => {
    const url = "postgres://reader:p%40ss%2Fw0rd@db:5432/erp"
    expect(urlSecrets(url)).toEqual([url, "p%40ss%2Fw0rd", "p@ss/w0rd"])
  })

  it("has only the URL when there is no password", () => {
    expect(urlSecrets("postgres://reader@db/erp")).toEqual(["postgres://reader@db/erp"])
  })
})
