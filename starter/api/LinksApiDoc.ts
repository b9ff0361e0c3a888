// The host-app magic link API as an `effect/http-api` contract, for the OpenAPI document only: sign-in
// serves these routes itself (starter/auth/LinkApiRoutes.ts, plain routes checking an API key), and this
// file states their shapes so integrators find them beside the customer reads. The request body is that
// file's own `CreateLinkBody`; the responses are restated here, so keep them in step with it.
import { Schema } from "effect"
import {
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSchema,
  HttpApiSecurity,
  OpenApi
} from "effect/http-api"
import { Permission } from "../../core/access/Permission.ts"
import { AccountId, ContactId, InvoiceId } from "../../core/domain/Ids.ts"
import { CreateLinkBody } from "../auth/LinkApiRoutes.ts"

/** 401 from the link API: a missing or unknown API key. */
export class LinkApiUnauthorized extends Schema.TaggedError<LinkApiUnauthorized>()(
  "unauthorized",
  { detail: Schema.optionalKey(Schema.String) },
  { httpApiStatus: 401 }
) {}

/** 400 from the link API: the body does not decode or names records that do not fit together. */
export class LinkApiBadRequest extends Schema.TaggedError<LinkApiBadRequest>()(
  "bad-request",
  { detail: Schema.optionalKey(Schema.String) },
  { httpApiStatus: 400 }
) {}

/** 404 from the link API: no such link. */
export class LinkApiNotFound extends Schema.TaggedError<LinkApiNotFound>()(
  "not-found",
  { detail: Schema.optionalKey(Schema.String) },
  { httpApiStatus: 404 }
) {}

/** How the host app authenticates: its API key as a bearer token. */
export class LinkApiKey extends HttpApiMiddleware.Service<LinkApiKey>()("portico/starter/api/LinkApiKey", {
  security: { apiKey: HttpApiSecurity.bearer },
  error: LinkApiUnauthorized
}) {}

/** A created link: the URL to hand to the customer. */
export const CreatedLink = Schema.Struct({
  id: Schema.String,
  url: Schema.String,
  kind: Schema.Literals(["contact", "account", "invoice"]),
  accountId: AccountId,
  invoiceId: Schema.optionalKey(InvoiceId),
  contactId: Schema.optionalKey(ContactId),
  permissions: Schema.Array(Permission),
  expiresAt: Schema.String
})

/** A stored link as listed. */
export const ListedLink = Schema.Struct({
  id: Schema.String,
  accountId: AccountId,
  invoiceId: Schema.NullOr(InvoiceId),
  contactId: Schema.NullOr(ContactId),
  permissions: Schema.Array(Permission),
  createdAt: Schema.String,
  expiresAt: Schema.String,
  revokedAt: Schema.NullOr(Schema.String)
})

/** `POST /api/links`, `GET /api/links?accountId=`, `DELETE /api/links/:id`. */
export class LinksApiGroup extends HttpApiGroup.make("links")
  .add(
    HttpApiEndpoint.post("create", "/links", {
      payload: CreateLinkBody,
      success: CreatedLink.pipe(HttpApiSchema.status(201)),
      error: LinkApiBadRequest
    }),
    HttpApiEndpoint.get("list", "/links", {
      query: { accountId: AccountId },
      success: Schema.Struct({ links: Schema.Array(ListedLink) }),
      error: LinkApiBadRequest
    }),
    HttpApiEndpoint.delete("revoke", "/links/:id", {
      params: { id: Schema.String },
      success: ListedLink,
      error: LinkApiNotFound
    })
  )
  .middleware(LinkApiKey)
  .annotateMerge(
    OpenApi.annotations({
      title: "Magic links (host app)",
      description:
        "Create, list and revoke signed sign-in links for a contact, an account or one invoice. Authenticate with an API key as a bearer token."
    })
  ) {}
