export * from "./Format.ts"
export * from "./HtmlRenderer.ts"
