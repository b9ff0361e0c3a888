// Progressive enhancement for the customer pages; everything works without it.
// - "Select all" for the bulk download form.
// - Live status: server-sent events from /events update the status and open amount of the invoices shown
//   and say what changed. The stream carries only events of the visitor's own accounts.
;(() => {
  const selectAll = document.querySelector("[data-select-all]")
  if (selectAll instanceof HTMLInputElement) {
    const label = selectAll.closest("label")
    if (label) label.hidden = false
    selectAll.addEventListener("change", () => {
      for (const box of document.querySelectorAll('input[type=checkbox][name="invoice"]')) {
        if (box instanceof HTMLInputElement) box.checked = selectAll.checked
      }
    })
  }

  const source = document.body.dataset.events
  if (!source || typeof EventSource === "undefined") return
  const status = document.querySelector(".live-status")
  const labels = {
    open: "Open",
    "partially-paid": "Partially paid",
    paid: "Paid",
    credited: "Credited",
    disputed: "Disputed",
    void: "Voided",
    "written-off": "Written off"
  }
  const money = (open) => {
    try {
      const digits = new Intl.NumberFormat("en", { style: "currency", currency: open.currency }).resolvedOptions()
        .maximumFractionDigits
      return new Intl.NumberFormat(document.documentElement.lang || "en", {
        style: "currency",
        currency: open.currency
      }).format(open.minor / 10 ** digits)
    } catch {
      return ""
    }
  }
  const events = new EventSource(source)
  events.addEventListener("change", (message) => {
    let change
    try {
      change = JSON.parse(message.data)
    } catch {
      return
    }
    let shown = false
    for (const id of change.invoiceIds || []) {
      for (const element of document.querySelectorAll("[data-invoice]")) {
        if (element.getAttribute("data-invoice") !== id) continue
        shown = true
        if (change.status) {
          const badge = element.querySelector(".status-cell .badge")
          if (badge) {
            badge.textContent = labels[change.status] || change.status
            badge.className = `badge badge-${change.status}`
            badge.setAttribute("data-status", change.status)
          }
        }
        if (change.open)
          for (const cell of element.querySelectorAll(".open-cell")) cell.textContent = money(change.open)
        if (element.tagName === "TR") {
          element.classList.remove("updated")
          void element.offsetWidth
          element.classList.add("updated")
        }
      }
    }
    if (status && (shown || document.querySelector(".figures"))) {
      status.hidden = false
      status.textContent = shown
        ? "An invoice on this page was just updated."
        : "Your account was just updated. Reload to see the new figures."
    }
  })
})()
