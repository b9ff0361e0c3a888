// A minimal HTTP client for the portal's tests: fetch without following redirects, with a cookie jar kept by
// hand (Set-Cookie in, Cookie out), and helpers to read a form's CSRF token and submit forms.
import { Effect } from "effect"

/** A response with its body read. */
export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: string
  readonly location: string | undefined
}

/** One visitor: its cookies persist across requests. */
export class Browser {
  readonly base: string
  readonly cookies = new Map<string, string>()
  readonly userAgent: string

  constructor(base: string, userAgent = "portico-test-browser") {
    this.base = base
    this.userAgent = userAgent
  }

  /** Sends a request (a path on the portal or an absolute URL) and keeps the cookies it sets. */
  request(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    return Effect.promise(async (): Promise<Reply> => {
      const url = path.startsWith("http") ? path : `${this.base}${path}`
      const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ")
      const response = await fetch(url, {
        method: init.method ?? "GET",
        redirect: "manual",
        headers: { "user-agent": this.userAgent, ...(cookie === "" ? {} : { cookie }), ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body })
      })
      for (const line of response.headers.getSetCookie()) {
        const [pair = "", ...attributes] = line.split(";")
        const index = pair.indexOf("=")
        const name = pair.slice(0, index).trim()
        const value = pair.slice(index + 1).trim()
        const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a))
        if (expired || value === "") this.cookies.delete(name)
        else this.cookies.set(name, value)
      }
      const body = await response.text()
      return {
        status: response.status,
        headers: response.headers,
        body,
        location: response.headers.get("location") ?? undefined
      }
    })
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers })
  }

  /** Posts a urlencoded form. */
  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers }
    })
  }
}

/** The value of the first hidden `_csrf` input in a page, or undefined. */
export const csrfIn = (page: string): string | undefined => /name="_csrf" value="([^"]+)"/.exec(page)?.[1]

/** The first link in a text that starts with `prefix`. */
export const linkIn = (text: string, prefix: string): string | undefined => {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  return new RegExp(`${escaped}[^\\s"<]*`).exec(text)?.[0]
}
