// The frame of the customer pages: the business's branding, a navigation bar, the account switcher for a
// contact of several accounts, sign-out, and the progressive-enhancement script (an external file: the
// CSP allows no inline script). Every page is sent with Cache-Control: no-store.
import type { HttpServerResponse } from "effect/http"
import { accountSwitcher } from "../auth/AccountRoutes.ts"
import { csrfFieldName } from "../auth/Csrf.ts"
import { paths } from "../auth/Paths.ts"
import { type BrandingShape, brandingHead } from "../server/Branding.ts"
import { type Html, html } from "../server/Html.ts"
import { htmlResponse } from "../server/PageShell.ts"

/** Where the customer pages live. */
export const pagePaths = {
  overview: "/",
  activity: "/activity",
  activityExport: "/activity/export",
  invoice: (id: string) => `/invoices/${encodeURIComponent(id)}`,
  invoicePdf: (id: string) => `/invoices/${encodeURIComponent(id)}/pdf`,
  invoiceDocument: (id: string) => `/invoices/${encodeURIComponent(id)}/document`,
  statements: "/statements",
  statementPdf: "/statements/pdf",
  documents: "/documents",
  document: (id: string) => `/documents/${encodeURIComponent(id)}`,
  billing: "/billing",
  notifications: "/notifications",
  events: "/events",
  css: "/assets/pages.css",
  js: "/assets/pages.js"
} as const

/** What the frame needs to know about the visitor. */
export interface Visitor {
  readonly csrf: string
  /** The path of the page, for the switcher to come back to. */
  readonly path: string
  readonly activeAccountId: string
  readonly accounts: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /** A one-invoice link sees only its invoice: no navigation to lists it cannot use. */
  readonly oneInvoice: boolean
  /** A signed-in contact (links have no billing details or notification settings of their own). */
  readonly contact: boolean
}

const nav = (visitor: Visitor, current: string): Html => {
  if (visitor.oneInvoice) return html``
  const items: ReadonlyArray<readonly [string, string]> = [
    [pagePaths.overview, "My account"],
    [pagePaths.activity, "Activity"],
    [pagePaths.statements, "Statements"],
    [pagePaths.documents, "Documents"],
    ...(visitor.contact
      ? ([
          [pagePaths.billing, "Billing details"],
          [pagePaths.notifications, "Notifications"],
          [paths.security, "Security"]
        ] as const)
      : [])
  ]
  return html`<nav class="portal-nav" aria-label="Portal">
<ul>${items.map(([href, label]) => html`<li><a href="${href}"${href === current ? html` aria-current="page"` : ""}>${label}</a></li>`)}</ul>
</nav>`
}

/** The document up to the end of its head's shared part: language, title, branding and the pages' stylesheet. */
const documentStart = (branding: BrandingShape, title: string): Html => {
  const theme = branding.theme
  return html`<!DOCTYPE html>
<html lang="en" dir="${theme.direction === "auto" ? "ltr" : theme.direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${theme.businessName}</title>
${brandingHead(branding)}
<link rel="stylesheet" href="${pagePaths.css}">`
}

/** A complete customer page as a no-store HTML response. */
export const portalPage = (options: {
  readonly branding: BrandingShape
  readonly visitor: Visitor
  readonly title: string
  /** The navigation entry to mark as current. */
  readonly section: string
  readonly body: Html
  readonly status?: number
}): HttpServerResponse.HttpServerResponse => {
  const { branding, visitor } = options
  const theme = branding.theme
  const markup = html`${documentStart(branding, options.title)}
<script src="${pagePaths.js}" defer></script>
</head>
<body class="portal" data-events="${pagePaths.events}">
<a class="skip" href="#main">Skip to content</a>
<header class="site-header portal-header">
<a class="site-name" href="${visitor.oneInvoice ? "#main" : pagePaths.overview}">${theme.logo === undefined ? theme.businessName : html`<img class="site-logo" src="${theme.logo}" alt="${theme.businessName}">`}</a>
<div class="portal-tools">
${accountSwitcher({ csrf: visitor.csrf, activeAccountId: visitor.activeAccountId, accounts: visitor.accounts, returnTo: visitor.path })}
<form method="post" action="${paths.signOut}" class="sign-out">
<input type="hidden" name="${csrfFieldName}" value="${visitor.csrf}">
<button type="submit" class="link-button">Sign out</button>
</form>
</div>
</header>
${nav(visitor, options.section)}
<p class="live-status" role="status" aria-live="polite" hidden></p>
<main id="main" class="portal-main">
${options.body}
</main>
</body>
</html>
`
  return htmlResponse(markup.value, options.status)
}

/**
 * A page in the customer pages' stylesheet and main column without their navigation, for pages shown to no
 * particular visitor (a plugin's business pages).
 */
export const plainPortalPage = (options: {
  readonly branding: BrandingShape
  readonly title: string
  readonly body: Html
  readonly status?: number
}): HttpServerResponse.HttpServerResponse => {
  const markup = html`${documentStart(options.branding, options.title)}
</head>
<body class="portal">
<a class="skip" href="#main">Skip to content</a>
<header class="site-header portal-header"><span class="site-name">${options.branding.theme.businessName}</span></header>
<main id="main" class="portal-main">
${options.body}
</main>
</body>
</html>
`
  return htmlResponse(markup.value, options.status)
}
