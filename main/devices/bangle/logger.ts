/**
 * The logging surface the Bangle.js link needs; pino's logger satisfies it
 * (`logger.warn({ watch }, 'message')`). Default: silent.
 */
export interface BangleLogger {
  debug(context: Record<string, unknown>, message: string): void;
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
}

/** Discards everything. */
export const silentLogger: BangleLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};
