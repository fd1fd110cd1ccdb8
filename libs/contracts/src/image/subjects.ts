import type { z } from 'zod';
import { entityChangedEventSchema } from '../entity-changed';
import type { SubjectName } from '../subjects';

/** What image-manager publishes on the bus. */
export const imageSubjects = {
  'image.image.ready.v1': entityChangedEventSchema,
} satisfies Record<SubjectName<'image'>, z.ZodType>;
