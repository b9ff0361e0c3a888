// `npm start`: will serve the starter portal with demo data. Until the starter lands (issue 6), it says so
// plainly instead of pretending, and points at what already works.
process.stdout.write(
  [
    "Portico's starter portal is not built yet.",
    "What works today: the billing core, the store, the adapters and the renderers, as a library —",
    "see README.md and docs/ for the API, and run `npm test` to see them checked.",
    ""
  ].join("\n")
)
