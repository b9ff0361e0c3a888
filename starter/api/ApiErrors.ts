// The JSON API's error bodies, each with its HTTP status: what a client can tell apart and act on.
import { Schema } from "effect"

/** 401: no live, complete session (sign in first). */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  { httpApiStatus: 401 }
) {}

/** 404: the record does not exist or is not the caller's (the two are never told apart). */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()(
  "NotFound",
  { kind: Schema.String, id: Schema.String },
  { httpApiStatus: 404 }
) {}

/** 403: the caller's role or link does not allow this, or the account's tier lacks the feature. */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  { httpApiStatus: 403 }
) {}

/** 400: the request is not valid (a bad cursor, a period that ends before it starts). */
export class BadRequest extends Schema.TaggedError<BadRequest>()(
  "BadRequest",
  { message: Schema.String },
  { httpApiStatus: 400 }
) {}
