import { z } from 'zod';
import { uuid } from '../common-input';
import { pageQuery } from '../pagination';

export const overdueQuery = z.strictObject({ teamId: uuid.optional(), ...pageQuery });
export type OverdueQuery = z.output<typeof overdueQuery>;
