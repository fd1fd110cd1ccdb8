import type { z } from 'zod';
import { entityChangedEventSchema } from '../entity-changed';
import type { SubjectName } from '../subjects';

/** What service-catalog publishes on the bus. */
export const catalogSubjects = {
  'catalog.binding.ready.v1': entityChangedEventSchema,
} satisfies Record<SubjectName<'catalog'>, z.ZodType>;
