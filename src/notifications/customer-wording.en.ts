import type { CustomerWording } from './customer-wording.types';

/** What OwnIt says to customers in English (see customer-wording.ts). */
export const customerWordingEn: CustomerWording = {
  time: {
    locale: 'en-GB',
    emailFormat: 'cccc d LLLL, HH:mm (ZZZZ)',
    pageFormat: 'cccc d LLLL yyyy, HH:mm (ZZZZ)',
    asSoonAsPossible: 'as soon as possible',
  },
  email: {
    hello: (customerName) => `Hello ${customerName},`,
    statusLink: 'You can follow your request here:',
    signoff: 'Kind regards,\nYour support team',
    acknowledgement: {
      subject: (ticket) => `We're on it: ${ticket}`,
      owns: (ownerFirstName) =>
        `thank you for getting in touch. ${ownerFirstName} now owns your request and will see it through until it is resolved.`,
      hearBy: (when) => `You will hear from us by ${when} at the latest.`,
    },
    publicUpdate: {
      subject: (ticket) => `Update: ${ticket}`,
      nextUpdateBy: (when) => `You will get the next update by ${when}.`,
    },
    holdingUpdate: {
      subject: (ticket) => `Status: ${ticket}`,
      withOwner: (ownerFirstName) =>
        `Your concern is with ${ownerFirstName}, who keeps looking after it for you.`,
      nextUpdateBy: (when) => `Next update by ${when}.`,
    },
    waitingReminder: {
      subject: (ticket) => `Waiting for your reply: ${ticket}`,
      question: (ownerFirstName) =>
        `${ownerFirstName} asked you a question and needs your answer to carry on.`,
      reply: 'Just reply to this email.',
      resumeBy: (when) => `If we do not hear from you, we will pick it up again by ${when}.`,
    },
    resolved: {
      subject: (ticket) => `Resolved: ${ticket}`,
      resolution: (resolution) => `Your request is resolved: ${resolution}`,
      reply: 'If anything is still not right, just reply to this email.',
    },
    survey: {
      subject: (ticket) => `How did we do? ${ticket}`,
      question: (ownerFirstName) =>
        `How happy are you with how ${ownerFirstName} resolved your request? One click is enough (1 = not at all, 5 = very).`,
    },
  },
  statusPage: {
    title: (ref) => `Your request ${ref}`,
    status: 'Status',
    owner: 'Looked after by',
    lastUpdate: 'Last update',
    noUpdateYet: 'No update yet',
    nextUpdate: 'Next update by',
    resolvedAt: 'Resolved on',
    statuses: {
      open: 'Open: we are working on it',
      waiting_on_customer: 'Waiting for your reply',
      resolved: 'Resolved',
      closed: 'Closed',
    },
    reply: 'To add anything, simply reply to one of our emails about this request.',
  },
  surveyPage: {
    confirmTitle: 'Rate our help',
    confirmQuestion: 'How satisfied are you with how we handled your request?',
    scoreLabel: (score) => `${score} out of 5`,
    confirmButton: 'Send my rating',
    title: 'Thank you for your feedback',
    recorded: (score) => `We have recorded your score of ${score} out of 5.`,
    recovery:
      'We are sorry we did not get this right. We have reopened your request, and the person who looked after it will be in touch with you soon.',
    already: (score) =>
      `Your score for this request was already recorded (${score} out of 5). Thank you.`,
    openTitle: 'Your request is open again',
    open: 'Your request is open again, so there is nothing to rate yet. We will ask for your feedback once it is resolved.',
    invalidScoreTitle: 'Invalid score',
    invalidScore:
      'This link does not carry a score from 1 to 5. Please use one of the score links in our email.',
  },
};
