// Locale-formatted numbers from ERP exports ("1.234,56", "1,234.56", "1 234,56", "1.234,56-",
// "(1,234.56)") parsed into plain decimal strings ("-1234.56"). Exact: digits are moved, never computed.

/** How a source writes numbers. */
export interface NumberFormat {
  readonly decimalSeparator: "." | ","
  /** "" when the source never groups thousands. */
  readonly thousandsSeparator: "" | "." | "," | " " | "'" | "\u00a0" | "\u202f"
}

/**
 * Parses `text` to a plain decimal string (optional "-", digits, optional "." and digits), or undefined.
 * Accepts a leading +/-, a trailing minus (SAP style) and accounting parentheses for negatives.
 */
export const parseDecimal = (text: string, format: NumberFormat): string | undefined => {
  let value = text.trim()
  let negative = false
  if (value.startsWith("(") && value.endsWith(")")) {
    negative = true
    value = value.slice(1, -1).trim()
  }
  if (value.endsWith("-")) {
    negative = !negative
    value = value.slice(0, -1).trim()
  } else if (value.startsWith("-")) {
    negative = !negative
    value = value.slice(1).trim()
  } else if (value.startsWith("+")) value = value.slice(1).trim()
  const decimalAt = value.lastIndexOf(format.decimalSeparator)
  let integer = decimalAt < 0 ? value : value.slice(0, decimalAt)
  const fraction = decimalAt < 0 ? "" : value.slice(decimalAt + 1)
  if (format.thousandsSeparator !== "" && integer.includes(format.thousandsSeparator)) {
    const groups = integer.split(format.thousandsSeparator)
    const [first = "", ...rest] = groups
    if (!/^\d{1,3}$/.test(first) || rest.some((group) => !/^\d{3}$/.test(group))) return undefined
    integer = groups.join("")
  }
  if (integer === "" && fraction !== "") integer = "0"
  if (!/^\d+$/.test(integer) || !/^\d*$/.test(fraction) || (decimalAt >= 0 && fraction === "")) return undefined
  const plain = fraction === "" ? integer : `${integer}.${fraction}`
  const isZero = /^[0.]+$/.test(plain)
  return negative && !isZero ? `-${plain}` : plain
}

/** Negates a plain decimal string; zero stays unsigned. */
export const negateDecimal = (plain: string): string => {
  if (plain.startsWith("-")) return plain.slice(1)
  return /^[0.]+$/.test(plain) ? plain : `-${plain}`
}

/** Formats a plain decimal string the way a source writes it ("-1234.5" → "-1.234,5"); inverse of parseDecimal. */
export const formatDecimal = (plain: string, format: NumberFormat): string => {
  const negative = plain.startsWith("-")
  const [integer = "", fraction] = (negative ? plain.slice(1) : plain).split(".")
  const grouped =
    format.thousandsSeparator === "" ? integer : integer.replace(/\B(?=(\d{3})+(?!\d))/g, format.thousandsSeparator)
  const body = fraction === undefined ? grouped : `${grouped}${format.decimalSeparator}${fraction}`
  return negative ? `-${body}` : body
}
