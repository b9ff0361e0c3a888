// Generated reporting SELECTs for fuzzing the query check: nested expressions, safe function calls,
// subqueries, CTEs, string literals and comments full of SQL keywords, and the same queries with one call
// to a forbidden function hidden somewhere inside.
import fc from "fast-check"

const column = fc.constantFrom("id", "total", "i.customer_id", "issued_on", '"Weird ""Col"""', '"delete"', "c.name")

const noisyText = fc.string({
  unit: fc.constantFrom(..."ab ;'$-*/\\\n".split(""), "delete", "drop table t", "pg_sleep(1)", "for update", "$1"),
  maxLength: 8
})

const literal = fc.oneof(
  fc.integer({ min: 0, max: 9999 }).map(String),
  noisyText.map((s) => `'${s.replaceAll("'", "''")}'`),
  noisyText.map((s) => `E'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`),
  noisyText.filter((s) => !s.includes("$q$")).map((s) => `$q$${s}$q$`)
)

const comment = fc.oneof(
  fc.constant(" "),
  noisyText.map((s) => ` /* ${s.replaceAll("/*", "").replaceAll("*/", "")} */ `),
  noisyText.map((s) => ` -- ${s.replaceAll("\n", " ")}\n`)
)

const safeFunction = fc.constantFrom("lower", "upper", "coalesce", "abs", "length", "round", "greatest")

/** An expression tree; `leaf` is where a hidden call may be planted. */
const expressions = (leaf: fc.Arbitrary<string>) =>
  fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc
        .tuple(tie("expr"), fc.constantFrom("+", "-", "*", "||", "=", "<>", "<"), tie("expr"))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc
        .tuple(safeFunction, fc.array(tie("expr"), { minLength: 1, maxLength: 2 }))
        .map(([name, args]) => `${name}(${args.join(", ")})`),
      tie("expr").map((e) => `case when ${e} is null then 0 else 1 end`),
      tie("expr").map((e) => `(select max(${e}) from invoice_lines l where l.invoice_id = i.id)`)
    )
  })).expr

const safeLeaf = fc.oneof(column, literal)
const safeExpr = expressions(safeLeaf)

/** Where a planted call goes. */
type Spot = "column" | "where" | "subquery" | "cte"

const build = (plant?: { readonly call: string; readonly spot: Spot }) =>
  fc
    .record({
      columns: fc.array(safeExpr, { minLength: 1, maxLength: 3 }),
      where: fc.option(safeExpr, { nil: undefined }),
      order: fc.option(column, { nil: undefined }),
      cte: fc.boolean(),
      comments: fc.array(comment, { minLength: 4, maxLength: 4 })
    })
    .map(({ columns, where, order, cte, comments: [c0, c1, c2, c3] }) => {
      const at = (spot: Spot) => (plant?.spot === spot ? plant.call : undefined)
      const planted = [at("column"), at("subquery") && `(select max(${at("subquery")}) from invoice_lines)`]
      const list = [...columns, ...planted.filter((c): c is string => typeof c === "string")]
        .map((c, n) => `${c} as c${n}`)
        .join(`,${c1}`)
      const conditions = [where, at("where") && `${at("where")} is not null`].filter(
        (c): c is string => typeof c === "string"
      )
      const body = `select${c0}${list} from invoices i join customers c on c.id = i.customer_id${c2}${conditions.length === 0 ? "" : ` where ${conditions.join(" and ")}`}${order === undefined ? "" : ` order by ${order}`}`
      const cteCall = at("cte")
      if (cteCall !== undefined) return `with i2 as (select ${cteCall} as x)${c3}${body}`
      return cte ? `with i2 as (${body})${c3}select * from i2` : `${body}${c3}`
    })

/** A legitimate reporting SELECT. */
export const safeSelect: fc.Arbitrary<string> = build()

const forbiddenCall = fc
  .tuple(
    fc.constantFrom(
      "pg_sleep",
      "pg_read_file",
      "lo_import",
      "dblink_exec",
      "set_config",
      "nextval",
      "pg_advisory_lock"
    ),
    fc.constantFrom("", "pg_catalog.", '"public".'),
    fc.constantFrom("plain", "upper", "quoted")
  )
  .map(([name, schema, spelling]) => {
    const spelled = spelling === "quoted" ? `"${name}"` : spelling === "upper" ? name.toUpperCase() : name
    return `${schema}${spelled}('x')`
  })

/** A SELECT like `safeSelect` with a forbidden call planted in its columns, WHERE, a subquery or a CTE. */
export const poisonedSelect: fc.Arbitrary<string> = fc
  .tuple(forbiddenCall, fc.constantFrom<Spot>("column", "where", "subquery", "cte"))
  .chain(([call, spot]) => build({ call, spot }))
