/** Patients: anonymous study codes, optional demographics, optional identifying details. */
import { z } from 'zod';
import { EpochMsSchema, UuidV7Schema } from './common.js';

/** Study code, unique per server, e.g. `P001`. */
export const StudyCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'letters, digits, _ and - (e.g. P001), at most 32');

export const SexSchema = z.enum(['female', 'male', 'other', 'unknown']);

/**
 * Details that identify the person. Optional; encrypted at rest on gateway and server
 * (AES-256-GCM); never logged and never in exports unless an admin asks for them.
 */
export const PatientIdentitySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  phone: z.string().trim().max(40).optional(),
  address: z.string().trim().max(500).optional(),
});
export type PatientIdentity = z.infer<typeof PatientIdentitySchema>;

export const PatientFieldsSchema = z.strictObject({
  studyCode: StudyCodeSchema,
  ageYears: z.number().int().min(0).max(130).optional(),
  sex: SexSchema.optional(),
  studyGroup: z.string().trim().max(64).optional(),
  notes: z.string().max(4000).optional(),
  identity: PatientIdentitySchema.optional(),
});

/** Created on the gateway with its own UUID v7, so it works offline. */
export const CreatePatientSchema = PatientFieldsSchema.extend({
  id: UuidV7Schema,
  createdAtMs: EpochMsSchema,
});
export type CreatePatient = z.infer<typeof CreatePatientSchema>;

export const UpdatePatientSchema = PatientFieldsSchema.partial();

export const PatientSchema = PatientFieldsSchema.extend({
  id: UuidV7Schema,
  createdAtMs: EpochMsSchema,
  updatedAtMs: EpochMsSchema,
  /** The gateway that created it, if any. */
  gatewayId: UuidV7Schema.nullable(),
  recordingCount: z.number().int().min(0),
});
export type Patient = z.infer<typeof PatientSchema>;

export const PatientListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  studyCode: StudyCodeSchema.optional(),
  studyGroup: z.string().max(64).optional(),
});

export const EraseRequestSchema = z.strictObject({ reason: z.string().trim().min(3).max(500) });
