export * from "./Manifest.ts"
export * from "./ZipExport.ts"
