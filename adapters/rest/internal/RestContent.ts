// Document bytes over HTTP: a document record names its download URL (absolute, or relative to `baseUrl`);
// the bytes are fetched with the adapter's own authentication, and never from another host, so credentials
// go only where the integrator pointed the adapter.
import { Effect, Stream } from "effect"
import type { HttpClient } from "effect/http"
import { HttpClientRequest } from "effect/http"
import { type DocumentRecord, type ErpError, ErpErrors } from "../../../core/erp/index.ts"
import { type Authenticator, withAuthentication } from "../../internal-http/Auth.ts"
import { executeBytes, type JsonHttpOptions } from "../../internal-http/JsonHttp.ts"
import type { RestContent } from "../RestConfig.ts"
import { scalarAt } from "./RestRecords.ts"

/** What fetching a document's bytes needs from the adapter. */
export interface ContentContext {
  readonly baseUrl: string
  readonly headers: Readonly<Record<string, string>>
  readonly settings: RestContent
  readonly client: HttpClient.HttpClient
  readonly authenticator: Authenticator
  readonly http: JsonHttpOptions
  readonly retry: <A>(effect: Effect.Effect<A, ErpError>) => Effect.Effect<A, ErpError>
}

/** The bytes of one document record, streamed from the URL at `settings.url` in its data. */
export const documentContent = (context: ContentContext, record: DocumentRecord): Stream.Stream<Uint8Array, ErpError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const operation = `content of document ${record.externalId}`
      const link = scalarAt(record.data, context.settings.url)
      if (link === undefined) {
        return yield* ErpErrors.schemaMismatch({
          message: `the record has no download URL at "${context.settings.url}"`,
          operation
        })
      }
      const home = `${context.baseUrl.replace(/\/+$/, "")}/`
      if (!URL.canParse(link, home)) {
        return yield* ErpErrors.schemaMismatch({ message: `"${link}" is not a URL`, operation })
      }
      const url = new URL(link, home)
      if (url.origin !== new URL(home).origin) {
        return yield* ErpErrors.schemaMismatch({
          message: `refusing to fetch a document from another host (${url.host}): credentials go only to the base URL's`,
          operation
        })
      }
      const request = HttpClientRequest.get(url.toString()).pipe(
        HttpClientRequest.setHeaders(context.headers),
        HttpClientRequest.setHeader("accept", "*/*")
      )
      return yield* withAuthentication(context.authenticator, request, (signed) =>
        executeBytes(context.client, signed, operation, context.http)
      ).pipe(context.retry)
    })
  )
