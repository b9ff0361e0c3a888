// The frame of the starter's own pages (sign-in, security, demo mail): language, title, branding, a skip
// link and a header. Returns a complete no-store HTML response.
import { HttpServerResponse } from "effect/http"
import type { BrandingShape } from "./Branding.ts"
import { brandingHead } from "./Branding.ts"
import { type Html, html } from "./Html.ts"

/** A complete page. `header` is extra markup for the header's end (a sign-out button, say). */
export const pageHtml = (options: {
  readonly branding: BrandingShape
  readonly title: string
  readonly body: Html
  readonly header?: Html
}): string => {
  const theme = options.branding.theme
  const dir = theme.direction === "auto" ? "ltr" : theme.direction
  return html`<!DOCTYPE html>
<html lang="en" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${theme.businessName}</title>
${brandingHead(options.branding)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
<a class="site-name" href="/">${theme.logo === undefined ? theme.businessName : html`<img class="site-logo" src="${theme.logo}" alt="${theme.businessName}">`}</a>
${options.header}
</header>
<main id="main">
${options.body}
</main>
</body>
</html>
`.value
}

/** A complete HTML document as a no-store response (status 200 unless given). */
export const htmlResponse = (markup: string, status = 200): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(markup, {
    contentType: "text/html; charset=utf-8",
    status,
    headers: { "cache-control": "no-store" }
  })

/** The page as a response (status 200 unless given). */
export const page = (
  options: Parameters<typeof pageHtml>[0] & { readonly status?: number }
): HttpServerResponse.HttpServerResponse => htmlResponse(pageHtml(options), options.status)
