/** zod schemas of the files sot-gate reads; JSON Schemas in schemas/ are generated from these (npm run schemas). */
import { z } from 'zod';

const slug = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'an exact identifier (letters, digits, . _ : / -)');

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
export const isoTimestampWithOffset = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 timestamp with offset, e.g. 2026-06-01T01:50:00-04:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'a real date and time');

export const admissionSchema = z
  .object({
    $schema: z.string().optional(),
    status: z.string().regex(/^[a-z][a-z_]*$/, 'a lowercase word: admitted, or e.g. revoked'),
    provider: slug,
    model: slug,
    credential_source_class: slug,
    allowed_network_class: slug,
    approval_source: z.string().min(1).max(500),
    admission_timestamp: isoTimestampWithOffset,
    review_trigger: z.string().min(1).max(2000),
    role: z.enum(['primary', 'fallback']).default('primary'),
    evidence_expectations: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
  })
  .strict()
  .meta({
    title: 'sot-gate model provider admission',
    description:
      'Non-secret admission record read by the harness through CTO_HARNESS_CASE_MODEL_ADMISSION_FILE. A file whose status is not `admitted` admits nothing.',
  });

export type Admission = z.infer<typeof admissionSchema>;
