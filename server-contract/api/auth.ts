/** Staff accounts, tokens and gateway enrollment. */
import { z } from 'zod';
import { EpochMsSchema, LabelSchema, UuidV7Schema } from './common.js';

/** Who may call a route. `gateway` is an enrolled gateway's credential, the others are staff roles. */
export const RoleSchema = z.enum(['admin', 'clinician', 'researcher', 'gateway']);
export type Role = z.infer<typeof RoleSchema>;

export const StaffRoleSchema = z.enum(['admin', 'clinician', 'researcher']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const UsernameSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only');

/** At least 12 characters; an upper bound keeps scrypt's input bounded. */
export const PasswordSchema = z.string().min(12).max(256);

export const StaffUserSchema = z.strictObject({
  id: UuidV7Schema,
  username: UsernameSchema,
  displayName: LabelSchema,
  role: StaffRoleSchema,
  createdAtMs: EpochMsSchema,
  disabled: z.boolean(),
});
export type StaffUser = z.infer<typeof StaffUserSchema>;

export const CreateStaffUserSchema = z.strictObject({
  username: UsernameSchema,
  displayName: LabelSchema,
  role: StaffRoleSchema,
  password: PasswordSchema,
});

export const LoginRequestSchema = z.strictObject({
  username: UsernameSchema,
  password: z.string().min(1).max(256),
});

/** Access tokens are short-lived JWTs; refresh tokens are opaque, single-use and revocable. */
export const TokenPairSchema = z.strictObject({
  accessToken: z.string(),
  accessTokenExpiresAtMs: EpochMsSchema,
  refreshToken: z.string(),
  refreshTokenExpiresAtMs: EpochMsSchema,
});
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const LoginResponseSchema = z.strictObject({ user: StaffUserSchema, tokens: TokenPairSchema });

export const RefreshRequestSchema = z.strictObject({ refreshToken: z.string().min(16).max(512) });

/** A one-time enrollment code an admin issues for one gateway (shown once). */
export const EnrollmentCodeRequestSchema = z.strictObject({
  label: LabelSchema,
  /** How long the code stays valid, seconds (default 1 day, at most 30 days). */
  validForS: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  /**
   * Re-enrolls this already enrolled gateway (e.g. it lost its secret); its old secret stops
   * working. Without it, the code enrolls only a gateway id the server does not know yet.
   */
  gatewayId: UuidV7Schema.optional(),
});
export const EnrollmentCodeSchema = z.strictObject({
  code: z.string().regex(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/),
  label: LabelSchema,
  expiresAtMs: EpochMsSchema,
});

export const EnrollRequestSchema = z.strictObject({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/, 'format XXXX-XXXX-XXXX-XXXX'),
  /** The gateway's own id (UUID v7 generated at install). */
  gatewayId: UuidV7Schema,
  name: LabelSchema,
  platform: z.string().max(64),
  appVersion: z.string().max(32),
});
/** Gateway credentials: the secret is shown once and exchanged for access tokens. */
export const GatewayCredentialsSchema = z.strictObject({
  gatewayId: UuidV7Schema,
  clientSecret: z.string().min(32).max(256),
});
export const GatewayTokenRequestSchema = GatewayCredentialsSchema;
export const GatewayTokenSchema = z.strictObject({
  accessToken: z.string(),
  accessTokenExpiresAtMs: EpochMsSchema,
});

/** What a gateway reports of itself on each contact, so IT sees one that has stopped syncing. */
export const GatewayHeartbeatSchema = z.strictObject({
  appVersion: z.string().max(32),
  backlogChunks: z.number().int().min(0),
  backlogBytes: z.number().int().min(0),
  oldestPendingAtMs: EpochMsSchema.nullable(),
  sentAtMs: EpochMsSchema,
});

export const GatewaySchema = z.strictObject({
  id: UuidV7Schema,
  name: LabelSchema,
  platform: z.string(),
  appVersion: z.string(),
  enrolledAtMs: EpochMsSchema,
  lastSeenAtMs: EpochMsSchema.nullable(),
  backlogChunks: z.number().int().min(0).nullable(),
  backlogBytes: z.number().int().min(0).nullable(),
  oldestPendingAtMs: EpochMsSchema.nullable(),
  revoked: z.boolean(),
});
export type Gateway = z.infer<typeof GatewaySchema>;
