import { CreateOwnershipCore1795430000000 } from './1795430000000-CreateOwnershipCore';
import { AddDeadlineEnforcement1795440000000 } from './1795440000000-AddDeadlineEnforcement';
import { AddEmailDelivery1795450000000 } from './1795450000000-AddEmailDelivery';
import { AddConsultsPromisesAndReports1795460000000 } from './1795460000000-AddConsultsPromisesAndReports';
import { AddReportIndexes1795470000000 } from './1795470000000-AddReportIndexes';
import { AddWebhooks1796164131033 } from './1796164131033-AddWebhooks';
import { AddPasswordsAndSessions1796164159071 } from './1796164159071-AddPasswordsAndSessions';
import { AddOutboxLeasesAndTicketOrder1796164251150 } from './1796164251150-AddOutboxLeasesAndTicketOrder';
import { MakeHoldingUpdatePromisesDeadlines1796164280797 } from './1796164280797-MakeHoldingUpdatePromisesDeadlines';
import { AddWaitingOnCustomerReminders1796164366931 } from './1796164366931-AddWaitingOnCustomerReminders';
import { AddFollowUpTickets1796164366962 } from './1796164366962-AddFollowUpTickets';
import { AddOutboxResendAndDismiss1796164366978 } from './1796164366978-AddOutboxResendAndDismiss';
import { AddLiveEventsAndPresence1796166560074 } from './1796166560074-AddLiveEventsAndPresence';
import { AddTicketSearch1796167561962 } from './1796167561962-AddTicketSearch';
import { AddAttachments1796165484702 } from './1796165484702-AddAttachments';
import { AddMailboxes1796165485755 } from './1796165485755-AddMailboxes';
import { IndexOnlyTicketsWithNotes1796169914126 } from './1796169914126-IndexOnlyTicketsWithNotes';
import { AddInboundEmailLog1796198488300 } from './1796198488300-AddInboundEmailLog';
import { AddAgentLoads1796198493183 } from './1796198493183-AddAgentLoads';
import { AddCustomerChanges1796206767360 } from './1796206767360-AddCustomerChanges';
import { RecordConsultCancellations1796228171831 } from './1796228171831-RecordConsultCancellations';
import { IndexOutboxClaimOrder1796293002172 } from './1796293002172-IndexOutboxClaimOrder';
import { IndexOwnerQueue1796293835847 } from './1796293835847-IndexOwnerQueue';

/** Every migration, oldest first. Listed explicitly so compiled and ts-jest runs see the same set. */
export const migrations = [
  CreateOwnershipCore1795430000000,
  AddDeadlineEnforcement1795440000000,
  AddEmailDelivery1795450000000,
  AddConsultsPromisesAndReports1795460000000,
  AddReportIndexes1795470000000,
  AddWebhooks1796164131033,
  AddPasswordsAndSessions1796164159071,
  AddOutboxLeasesAndTicketOrder1796164251150,
  MakeHoldingUpdatePromisesDeadlines1796164280797,
  AddWaitingOnCustomerReminders1796164366931,
  AddFollowUpTickets1796164366962,
  AddOutboxResendAndDismiss1796164366978,
  AddLiveEventsAndPresence1796166560074,
  AddTicketSearch1796167561962,
  AddAttachments1796165484702,
  AddMailboxes1796165485755,
  IndexOnlyTicketsWithNotes1796169914126,
  AddInboundEmailLog1796198488300,
  AddAgentLoads1796198493183,
  AddCustomerChanges1796206767360,
  RecordConsultCancellations1796228171831,
  IndexOutboxClaimOrder1796293002172,
  IndexOwnerQueue1796293835847,
];
