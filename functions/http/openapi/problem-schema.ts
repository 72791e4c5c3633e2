/** The RFC 9457 body every error answers with (functions/http/problem.ts), as a schema for the document. */
import * as z from 'zod';

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string(),
  instance: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  existingCustomerId: z.string().optional().meta({
    description: 'On 409 already-exists of a customer: the customer that holds the D-U-N-S number.',
  }),
});
