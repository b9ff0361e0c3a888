// `portico serve`: the starter portal from the command line.
export * from "./ServeCommand.ts"
