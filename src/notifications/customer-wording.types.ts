/** The words a language needs, filled in by customer-wording.en.ts and customer-wording.de.ts. */
export type Language = 'en' | 'de';

export interface CustomerWording {
  /** Luxon locale and formats of times shown to the customer (in the team's time zone). */
  time: {
    locale: string;
    /** In emails, where the year is obvious. */
    emailFormat: string;
    /** On pages, which may be read much later. */
    pageFormat: string;
    /** When no due time is known. */
    asSoonAsPossible: string;
  };
  email: {
    hello: (customerName: string) => string;
    /** Introduces the status link under every customer email. */
    statusLink: string;
    signoff: string;
    acknowledgement: {
      subject: (ticket: string) => string;
      owns: (ownerFirstName: string) => string;
      hearBy: (when: string) => string;
    };
    publicUpdate: {
      subject: (ticket: string) => string;
      nextUpdateBy: (when: string) => string;
    };
    holdingUpdate: {
      subject: (ticket: string) => string;
      withOwner: (ownerFirstName: string) => string;
      nextUpdateBy: (when: string) => string;
    };
    waitingReminder: {
      subject: (ticket: string) => string;
      question: (ownerFirstName: string) => string;
      reply: string;
      resumeBy: (when: string) => string;
    };
    resolved: {
      subject: (ticket: string) => string;
      resolution: (resolution: string) => string;
      reply: string;
    };
    survey: {
      subject: (ticket: string) => string;
      question: (ownerFirstName: string) => string;
    };
  };
  statusPage: {
    title: (ref: string) => string;
    status: string;
    owner: string;
    lastUpdate: string;
    noUpdateYet: string;
    nextUpdate: string;
    resolvedAt: string;
    statuses: { open: string; waiting_on_customer: string; resolved: string; closed: string };
    reply: string;
  };
  surveyPage: {
    /** The page a survey link opens: the question, the clicked score preselected, a button. */
    confirmTitle: string;
    confirmQuestion: string;
    scoreLabel: (score: number) => string;
    confirmButton: string;
    title: string;
    recorded: (score: number) => string;
    recovery: string;
    already: (score: number) => string;
    openTitle: string;
    open: string;
    /** A link without a valid score: the page shows this in every language. */
    invalidScoreTitle: string;
    invalidScore: string;
  };
}
