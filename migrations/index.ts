import { CreateOwnershipCore1795430000000 } from './1795430000000-CreateOwnershipCore';

/** Every migration, oldest first. Listed explicitly so compiled and ts-jest runs see the same set. */
export const migrations = [CreateOwnershipCore1795430000000];
