import type { CustomerWording } from './customer-wording.types';

/** What OwnIt says to customers in German (see customer-wording.ts). */
export const customerWordingDe: CustomerWording = {
  time: {
    locale: 'de-DE',
    emailFormat: "cccc, d. LLLL, HH:mm 'Uhr' (ZZZZ)",
    pageFormat: "cccc, d. LLLL yyyy, HH:mm 'Uhr' (ZZZZ)",
    asSoonAsPossible: 'so bald wie möglich',
  },
  email: {
    hello: (customerName) => `Hallo ${customerName},`,
    statusLink: 'Den Stand Ihres Anliegens sehen Sie jederzeit hier:',
    signoff: 'Freundliche Grüße\nIhr Support-Team',
    acknowledgement: {
      subject: (ticket) => `Wir kümmern uns: ${ticket}`,
      owns: (ownerFirstName) =>
        `danke für Ihre Nachricht. ${ownerFirstName} betreut Ihr Anliegen persönlich bis zur Lösung.`,
      hearBy: (when) => `Sie hören spätestens am ${when} von uns.`,
    },
    publicUpdate: {
      subject: (ticket) => `Neuigkeiten: ${ticket}`,
      nextUpdateBy: (when) => `Das nächste Update erhalten Sie bis ${when}.`,
    },
    holdingUpdate: {
      subject: (ticket) => `Zwischenstand: ${ticket}`,
      withOwner: (ownerFirstName) =>
        `Ihr Anliegen liegt bei ${ownerFirstName}, der/die es weiter für Sie betreut.`,
      nextUpdateBy: (when) => `Das nächste Update erhalten Sie bis ${when}.`,
    },
    waitingReminder: {
      subject: (ticket) => `Wir warten auf Ihre Antwort: ${ticket}`,
      question: (ownerFirstName) =>
        `${ownerFirstName} hat Ihnen eine Frage gestellt und braucht Ihre Antwort, um weiterzumachen.`,
      reply: 'Antworten Sie einfach auf diese E-Mail.',
      resumeBy: (when) => `Ohne Antwort melden wir uns bis ${when} wieder bei Ihnen.`,
    },
    resolved: {
      subject: (ticket) => `Gelöst: ${ticket}`,
      resolution: (resolution) => `Ihr Anliegen ist gelöst: ${resolution}`,
      reply: 'Falls noch etwas offen ist, antworten Sie einfach auf diese E-Mail.',
    },
    survey: {
      subject: (ticket) => `Wie war unser Service? ${ticket}`,
      question: (ownerFirstName) =>
        `Wie zufrieden sind Sie mit der Lösung durch ${ownerFirstName}? Ein Klick genügt (1 = gar nicht, 5 = sehr).`,
    },
  },
  statusPage: {
    title: (ref) => `Ihr Anliegen ${ref}`,
    status: 'Stand',
    owner: 'Betreut von',
    lastUpdate: 'Letztes Update',
    noUpdateYet: 'Noch kein Update',
    nextUpdate: 'Nächstes Update bis',
    resolvedAt: 'Gelöst am',
    statuses: {
      open: 'In Bearbeitung',
      waiting_on_customer: 'Wartet auf Ihre Antwort',
      resolved: 'Gelöst',
      closed: 'Abgeschlossen',
    },
    reply:
      'Möchten Sie etwas ergänzen? Antworten Sie einfach auf eine unserer E-Mails zu diesem Anliegen.',
  },
  surveyPage: {
    confirmTitle: 'Bewerten Sie unsere Hilfe',
    confirmQuestion: 'Wie zufrieden sind Sie mit der Bearbeitung Ihres Anliegens?',
    scoreLabel: (score) => `${score} von 5`,
    confirmButton: 'Bewertung senden',
    title: 'Vielen Dank für Ihre Bewertung',
    recorded: (score) => `Wir haben Ihre Bewertung von ${score} von 5 gespeichert.`,
    recovery:
      'Es tut uns leid, dass wir Sie nicht zufriedenstellen konnten. Wir haben Ihr Anliegen wieder geöffnet; Ihre Ansprechperson meldet sich in Kürze bei Ihnen.',
    already: (score) =>
      `Ihre Bewertung für dieses Anliegen wurde bereits gespeichert (${score} von 5). Vielen Dank.`,
    openTitle: 'Ihr Anliegen ist wieder in Bearbeitung',
    open: 'Ihr Anliegen ist wieder in Bearbeitung, daher gibt es noch nichts zu bewerten. Sobald es gelöst ist, bitten wir Sie um Ihre Meinung.',
    invalidScoreTitle: 'Ungültige Bewertung',
    invalidScore:
      'Dieser Link enthält keine Bewertung von 1 bis 5. Bitte nutzen Sie einen der Bewertungslinks in unserer E-Mail.',
  },
};
