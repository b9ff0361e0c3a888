// The use cases' own refusals, beside the store's NotFound and the access model's PermissionDenied.
import { Schema } from "effect"

/** The request cannot be served as asked: too many documents, a bad period, an action only a contact may take. */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String
}) {}
