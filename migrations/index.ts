import { CreateOwnershipCore1795430000000 } from './1795430000000-CreateOwnershipCore';
import { AddDeadlineEnforcement1795440000000 } from './1795440000000-AddDeadlineEnforcement';
import { AddEmailDelivery1795450000000 } from './1795450000000-AddEmailDelivery';
import { AddConsultsPromisesAndReports1795460000000 } from './1795460000000-AddConsultsPromisesAndReports';
import { AddReportIndexes1795470000000 } from './1795470000000-AddReportIndexes';

/** Every migration, oldest first. Listed explicitly so compiled and ts-jest runs see the same set. */
export const migrations = [
  CreateOwnershipCore1795430000000,
  AddDeadlineEnforcement1795440000000,
  AddEmailDelivery1795450000000,
  AddConsultsPromisesAndReports1795460000000,
  AddReportIndexes1795470000000,
];
