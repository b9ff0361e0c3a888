// The settings of the Epicor Kinetic adapter, as written in a Portico config file and checked with Schema
// when the adapter is built. Secrets are `Redacted`, so they never print.
import { Schema } from "effect"
import { ContactRole } from "../../core/domain/index.ts"
import { Secret } from "../../core/erp/index.ts"

const PositiveInt = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))

/** `Authorization: Basic` with an Epicor user. */
export const EpicorBasicAuth = Schema.Struct({
  type: Schema.Literal("basic"),
  username: Schema.String.check(Schema.isNonEmpty()),
  password: Secret
})

/** A bearer token obtained elsewhere (Epicor IdP, Azure AD) and given as is. */
export const EpicorBearerAuth = Schema.Struct({ type: Schema.Literal("bearer"), token: Secret })

/**
 * A bearer token fetched from `{baseUrl}/TokenResource.svc/` with the user's name and password, cached and
 * fetched again when the API answers 401.
 */
export const EpicorTokenAuth = Schema.Struct({
  type: Schema.Literal("token-resource"),
  username: Schema.String.check(Schema.isNonEmpty()),
  password: Secret
})

/** How the adapter identifies the user; the API key is sent in addition to this. */
export const EpicorAuth = Schema.Union([EpicorBasicAuth, EpicorBearerAuth, EpicorTokenAuth])
export type EpicorAuth = typeof EpicorAuth.Type

/** Settings of the `epicor-kinetic` adapter. */
export const EpicorConfig = Schema.Struct({
  /** The server and instance, without `/api`: `https://kinetic.example.com/EpicorERP`. */
  baseUrl: Schema.String.check(
    Schema.isPattern(/^https?:\/\/\S+[^/]$/, { expected: "an http(s) URL without a trailing slash" })
  ),
  /** The Epicor company id, as in the URL path (`EPIC06`). */
  company: Schema.String.check(Schema.isPattern(/^[^/?#\s]+$/, { expected: "a company id such as EPIC06" })),
  /** The key from API Key Maintenance, sent as `x-api-key` on every call. */
  apiKey: Secret,
  auth: EpicorAuth,
  /** Rows per request (`$top`), default 100. */
  pageSize: Schema.optionalKey(PositiveInt.check(Schema.isLessThanOrEqualTo(10_000))),
  /** Seconds to wait for one response, default 60. */
  timeoutSeconds: Schema.optionalKey(PositiveInt),
  /** Retries of a retryable failure (429, 5xx, time-out, connection), default 5. */
  maxRetries: Schema.optionalKey(Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  /**
   * How pages are walked. `keyset` (default): `$filter=SysRevID gt {last}&$orderby=SysRevID&$top=N`, which
   * also makes reads incremental and resumable. `skip`: `$orderby={key}&$top=N&$skip=M`, full reads only,
   * for entity sets whose change field cannot be filtered.
   */
  paging: Schema.optionalKey(Schema.Literals(["keyset", "skip"])),
  /** The monotonic row version used by `keyset` paging, default `SysRevID`. */
  changeField: Schema.optionalKey(Schema.String.check(Schema.isPattern(/^\w+$/))),
  /** Read only posted invoices and receipts (default true): unposted documents are not yet receivables. */
  postedOnly: Schema.optionalKey(Schema.Boolean),
  /** The tier given to every account (default "standard"). */
  tier: Schema.optionalKey(Schema.String),
  /** The currency of customers whose `CurrencyCode` is blank. */
  defaultCurrency: Schema.optionalKey(Schema.String),
  /** The portal role of contacts read from CustCnts (default "ap-contact"). */
  contactRole: Schema.optionalKey(ContactRole)
})
export type EpicorConfig = typeof EpicorConfig.Type
