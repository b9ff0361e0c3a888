// A minimal cookie-keeping HTTP client for the page and API tests: follows nothing by itself (each redirect
// is asserted), remembers cookies per session, and reads the CSRF token from a page's forms.
import { Effect, Schema } from "effect"
import { testApiKey } from "./StarterHarness.ts"

/** One visitor: a cookie jar over `fetch`. */
export interface HttpSession {
  readonly get: (path: string, headers?: Record<string, string>) => Effect.Effect<Response>
  readonly post: (path: string, form: Record<string, string | ReadonlyArray<string>>) => Effect.Effect<Response>
  /** Follows redirects (GET) up to 5 times, keeping cookies. */
  readonly follow: (response: Response) => Effect.Effect<Response>
  readonly cookie: (name: string) => string | undefined
}

/** A fresh visitor of `baseUrl`. */
export const httpSession = (baseUrl: string): HttpSession => {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";")
      const index = pair?.indexOf("=") ?? -1
      if (pair === undefined || index < 1) continue
      const name = pair.slice(0, index).trim()
      const value = pair.slice(index + 1).trim()
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }
  const cookieHeader = () => [...jar.entries()].map(([name, value]) => `${name}=${value}`).join("; ")
  const request = (path: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
    Effect.promise(() =>
      fetch(new URL(path, baseUrl), {
        ...init,
        redirect: "manual",
        headers: { ...init.headers, cookie: cookieHeader() }
      }).then(remember)
    )
  const get = (path: string, headers: Record<string, string> = {}) => request(path, { method: "GET", headers })
  const post = (path: string, form: Record<string, string | ReadonlyArray<string>>) => {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(form)) {
      for (const item of typeof value === "string" ? [value] : value) body.append(name, item)
    }
    return request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString()
    })
  }
  const follow = (response: Response): Effect.Effect<Response> =>
    Effect.gen(function* () {
      let current = response
      for (let hop = 0; hop < 5 && current.status >= 300 && current.status < 400; hop++) {
        const location = current.headers.get("location")
        if (location === null) break
        current = yield* get(location)
      }
      return current
    })
  return { get, post, follow, cookie: (name) => jar.get(name) }
}

/** The CSRF token in a page's forms. */
export const csrfTokenOf = (page: string): string | undefined => /name="_csrf" value="([^"]+)"/.exec(page)?.[1]

const decodeCreated = Schema.decodeUnknownSync(Schema.Struct({ id: Schema.String, url: Schema.String }))

/** Creates a magic link through the host-app API; gives its id and its path (`/auth/link?token=...`). */
export const createLink = (baseUrl: string, body: Record<string, unknown>) =>
  Effect.promise(async () => {
    const response = await fetch(new URL("/api/links", baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${testApiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body)
    })
    const json = decodeCreated(await response.json())
    const url = new URL(json.url)
    return { status: response.status, id: json.id, path: `${url.pathname}${url.search}` }
  })

/** Signs `session` in as a demo contact through a magic link; gives the landing page's response. */
export const signInAs = (session: HttpSession, baseUrl: string, contactId: string) =>
  Effect.gen(function* () {
    const link = yield* createLink(baseUrl, { contactId })
    return yield* session.follow(yield* session.get(link.path))
  })
