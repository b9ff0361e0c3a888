// The words of every message in each supported language. `{name}` placeholders are filled with plain values
// before the templates run, so the templates escape them like any other text.
import type { MessageLocale } from "../Topics.ts"

/** The labels one language provides. */
export interface Labels {
  readonly subjectIssued: string
  readonly subjectStatus: string
  readonly subjectReminderBefore: string
  readonly subjectReminderAfter: string
  readonly greeting: string
  readonly lineIssued: string
  readonly lineStatus: string
  readonly lineReminderBefore: string
  readonly lineReminderAfter: string
  readonly openAmount: string
  readonly dueDate: string
  readonly viewInvoice: string
  readonly footer: string
  readonly statuses: Readonly<Record<string, string>>
}

const en: Labels = {
  subjectIssued: "New invoice {number}",
  subjectStatus: "Invoice {number}: {status}",
  subjectReminderBefore: "Invoice {number} is due on {dueDate}",
  subjectReminderAfter: "Reminder: invoice {number} is overdue",
  greeting: "Hello {name},",
  lineIssued: "a new invoice {number} of {total} has been issued to {account}.",
  lineStatus: "the status of invoice {number} is now: {status}.",
  lineReminderBefore: "invoice {number} of {total} is due on {dueDate}.",
  lineReminderAfter: "invoice {number} was due on {dueDate} and is not yet settled.",
  openAmount: "Open amount",
  dueDate: "Due date",
  viewInvoice: "View the invoice",
  footer: "You receive this message because of your notification settings in the portal.",
  statuses: {
    open: "open",
    "partially-paid": "partially paid",
    paid: "paid",
    credited: "credited",
    disputed: "disputed",
    void: "void",
    "written-off": "written off"
  }
}

const de: Labels = {
  subjectIssued: "Neue Rechnung {number}",
  subjectStatus: "Rechnung {number}: {status}",
  subjectReminderBefore: "Rechnung {number} ist am {dueDate} fällig",
  subjectReminderAfter: "Zahlungserinnerung: Rechnung {number} ist überfällig",
  greeting: "Guten Tag {name},",
  lineIssued: "für {account} wurde die neue Rechnung {number} über {total} ausgestellt.",
  lineStatus: "der Status der Rechnung {number} lautet jetzt: {status}.",
  lineReminderBefore: "die Rechnung {number} über {total} ist am {dueDate} fällig.",
  lineReminderAfter: "die Rechnung {number} war am {dueDate} fällig und ist noch nicht beglichen.",
  openAmount: "Offener Betrag",
  dueDate: "Fälligkeitsdatum",
  viewInvoice: "Rechnung ansehen",
  footer: "Sie erhalten diese Nachricht aufgrund Ihrer Benachrichtigungseinstellungen im Portal.",
  statuses: {
    open: "offen",
    "partially-paid": "teilweise bezahlt",
    paid: "bezahlt",
    credited: "gutgeschrieben",
    disputed: "beanstandet",
    void: "storniert",
    "written-off": "abgeschrieben"
  }
}

const fr: Labels = {
  subjectIssued: "Nouvelle facture {number}",
  subjectStatus: "Facture {number} : {status}",
  subjectReminderBefore: "La facture {number} arrive à échéance le {dueDate}",
  subjectReminderAfter: "Rappel : la facture {number} est en retard",
  greeting: "Bonjour {name},",
  lineIssued: "une nouvelle facture {number} de {total} a été émise pour {account}.",
  lineStatus: "le statut de la facture {number} est désormais : {status}.",
  lineReminderBefore: "la facture {number} de {total} arrive à échéance le {dueDate}.",
  lineReminderAfter: "la facture {number} était due le {dueDate} et n’est pas encore réglée.",
  openAmount: "Montant restant dû",
  dueDate: "Date d’échéance",
  viewInvoice: "Voir la facture",
  footer: "Vous recevez ce message en raison de vos préférences de notification dans le portail.",
  statuses: {
    open: "ouverte",
    "partially-paid": "partiellement payée",
    paid: "payée",
    credited: "créditée",
    disputed: "contestée",
    void: "annulée",
    "written-off": "passée en perte"
  }
}

const nl: Labels = {
  subjectIssued: "Nieuwe factuur {number}",
  subjectStatus: "Factuur {number}: {status}",
  subjectReminderBefore: "Factuur {number} vervalt op {dueDate}",
  subjectReminderAfter: "Herinnering: factuur {number} is vervallen",
  greeting: "Beste {name},",
  lineIssued: "er is een nieuwe factuur {number} van {total} uitgereikt aan {account}.",
  lineStatus: "de status van factuur {number} is nu: {status}.",
  lineReminderBefore: "factuur {number} van {total} vervalt op {dueDate}.",
  lineReminderAfter: "factuur {number} verviel op {dueDate} en is nog niet voldaan.",
  openAmount: "Openstaand bedrag",
  dueDate: "Vervaldatum",
  viewInvoice: "Factuur bekijken",
  footer: "U ontvangt dit bericht vanwege uw meldingsinstellingen in het portaal.",
  statuses: {
    open: "open",
    "partially-paid": "gedeeltelijk betaald",
    paid: "betaald",
    credited: "gecrediteerd",
    disputed: "betwist",
    void: "geannuleerd",
    "written-off": "afgeschreven"
  }
}

/** The labels of each language. */
export const labels: Readonly<Record<MessageLocale, Labels>> = { en, de, fr, nl }

/** Fills `{name}` placeholders with plain values (unknown names stay as written). */
export const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => values[name] ?? whole)
