/**
 * The last line of defence of a long-running gateway process: an exception or rejection nobody
 * caught is logged and counted instead of ending the process (which would drop the live
 * recording and whatever had not reached the queue yet). Every known path handles its own errors;
 * this catches the unknown ones, so they show in the log rather than as a dead gateway.
 */

/** What the guard saw since it was installed. */
export interface ProcessGuard {
  /** Uncaught exceptions and unhandled rejections seen so far. */
  readonly caught: number;
  /** Removes the handlers again. */
  uninstall(): void;
}

/** Installs `uncaughtException` and `unhandledRejection` handlers that log instead of exiting. */
export function installProcessGuard(
  log: (line: string) => void = (line) => console.error(line),
): ProcessGuard {
  let caught = 0;
  const describe = (error: unknown) =>
    error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const onException = (error: unknown) => {
    caught += 1;
    log(`edge: uncaught exception (the gateway keeps running): ${describe(error)}`);
  };
  const onRejection = (reason: unknown) => {
    caught += 1;
    log(`edge: unhandled rejection (the gateway keeps running): ${describe(reason)}`);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return {
    get caught() {
      return caught;
    },
    uninstall() {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    },
  };
}
