// Where the payments plugin's customer pages live (the starter mounts plugin routes under /plugins/<id>), for
// the plugin's own links and for the portal pages that link to them.

/** The plugin's mount point in the starter. */
export const paymentsBasePath = "/plugins/payments"

/** The customer pages' paths, as the browser sees them. */
export const paymentPaths = {
  pay: `${paymentsBasePath}/pay`,
  /** The pay page with one invoice chosen. */
  payInvoice: (invoiceId: string) => `${paymentsBasePath}/pay?invoice=${encodeURIComponent(invoiceId)}`,
  credit: `${paymentsBasePath}/credit`,
  paid: (intentId: string) => `${paymentsBasePath}/paid?intent=${encodeURIComponent(intentId)}`,
  receipt: (paymentId: string) => `${paymentsBasePath}/receipts/${encodeURIComponent(paymentId)}`,
  autoPay: `${paymentsBasePath}/autopay`,
  autoPayEnrol: `${paymentsBasePath}/autopay/enrol`,
  autoPayLeave: `${paymentsBasePath}/autopay/leave`,
  autoPayMethod: `${paymentsBasePath}/autopay/method`,
  /** The return route (PaymentRoutes.ts): confirms the intent, then sends the payer on to `then`. */
  return: (intentId: string, then: string) =>
    `${paymentsBasePath}/return?intent=${encodeURIComponent(intentId)}&then=${encodeURIComponent(then)}`
} as const
