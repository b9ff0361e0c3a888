// The business's branding as the server uses it: the theme (served as CSS variables in /assets/theme.css,
// so pages need no inline style for it), the business's own stylesheets and scripts, and an optional
// analytics tracking id. Pages include `brandingHead(branding)` in their <head>.
import { Context, Layer } from "effect"
import { defaultTheme, type Theme } from "../../core/render/Theme.ts"
import { type Html, html } from "./Html.ts"

/** Branding settings. Script and stylesheet URLs must be https or same-origin paths; their origins join the CSP. */
export interface BrandingShape {
  readonly theme: Theme
  /** Extra stylesheets, after the portal's own. */
  readonly stylesheets: ReadonlyArray<string>
  /** Extra scripts (loaded with `defer`). */
  readonly scripts: ReadonlyArray<string>
  /** A Google Analytics 4 measurement id (`G-XXXXXXX`); the portal then loads gtag from Google. */
  readonly analyticsId: string | undefined
}

/** The configured branding. */
export class Branding extends Context.Service<Branding, BrandingShape>()("portico/starter/Branding") {
  static readonly layer = (branding: BrandingShape): Layer.Layer<Branding> => Layer.succeed(Branding, branding)
  /** Portico's own look and nothing else. */
  static readonly default: BrandingShape = { theme: defaultTheme, stylesheets: [], scripts: [], analyticsId: undefined }
}

/** Where the portal's own assets are served. */
export const assetPaths = {
  portalCss: "/assets/portal.css",
  themeCss: "/assets/theme.css",
  analyticsJs: "/assets/analytics.js"
} as const

/** The theme as CSS custom properties (values are validated hex colours and a checked font list). */
export const themeCss = (theme: Theme): string => {
  const c = theme.colors
  return `:root {
  --portico-text: ${c.text};
  --portico-background: ${c.background};
  --portico-muted: ${c.muted};
  --portico-accent: ${c.accent};
  --portico-accent-text: ${c.accentText};
  --portico-border: ${c.border};
  --portico-font: ${theme.fontStack};
}
${theme.customCss ?? ""}
`
}

/** The analytics bootstrap, served as an external script (the CSP allows no inline script). */
export const analyticsJs = (id: string): string => `window.dataLayer = window.dataLayer || [];
function gtag(){ window.dataLayer.push(arguments); }
gtag("js", new Date());
gtag("config", ${JSON.stringify(id)}, { anonymize_ip: true });
`

/** The <head> tags for branding: the portal's CSS, the theme, the business's stylesheets and scripts, analytics. */
export const brandingHead = (branding: BrandingShape): Html => html`
<link rel="stylesheet" href="${assetPaths.portalCss}">
<link rel="stylesheet" href="${assetPaths.themeCss}">
${branding.stylesheets.map((href) => html`<link rel="stylesheet" href="${href}">\n`)}
${branding.scripts.map((src) => html`<script src="${src}" defer></script>\n`)}
${
  branding.analyticsId === undefined
    ? ""
    : html`<script src="https://www.googletagmanager.com/gtag/js?id=${branding.analyticsId}" async></script>
<script src="${assetPaths.analyticsJs}" defer></script>`
}`
