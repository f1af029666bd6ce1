/**
 * Gateway settings in a JSON file in the data folder. A file that does not parse or breaks the
 * schema is kept aside (`settings.json.bad-<time>`) and defaults are used, with a message —
 * never a crash at start-up.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../preload/schemas.js';

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: null,
  mainsHz: 50,
  ecgSampleRateHz: 500,
  ecgChunkSeconds: 60,
  watchChunkSeconds: 600,
  watchAccelHz: 12.5,
  watchPpg: false,
  sweepSpeedMmPerS: 25,
  gainMmPerMv: 10,
  diskQuotaBytes: 20_000_000_000,
  operator: null,
  caBundlePath: null,
  proxyUrl: null,
  uploadCapBytesPerS: null,
  lockAfterMinutes: 5,
};

export class SettingsStore {
  private current: Settings;
  readonly warnings: string[] = [];

  constructor(private readonly file: string) {
    this.current = this.load();
  }

  static inDataDir(dataDir: string): SettingsStore {
    return new SettingsStore(join(dataDir, 'settings.json'));
  }

  get(): Settings {
    return this.current;
  }

  /** Applies a partial update, validates the result and writes it atomically. */
  update(patch: Partial<Settings>): Settings {
    const next = SettingsSchema.parse({ ...this.current, ...patch });
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
    this.current = next;
    return next;
  }

  private load(): Settings {
    if (!existsSync(this.file)) return DEFAULT_SETTINGS;
    try {
      return SettingsSchema.parse({
        ...DEFAULT_SETTINGS,
        ...(JSON.parse(readFileSync(this.file, 'utf8')) as object),
      });
    } catch (error) {
      const aside = `${this.file}.bad-${Date.now()}`;
      renameSync(this.file, aside);
      this.warnings.push(
        `settings file was invalid (${String(error)}); kept it as ${aside} and used defaults`,
      );
      return DEFAULT_SETTINGS;
    }
  }
}
