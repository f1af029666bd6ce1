/**
 * The gateway's own operators (staff who record at this desk), in the recorder's `operators`
 * table so that a recording's operator is the same row. A PIN, where the clinic sets one, is kept
 * only as a salted scrypt hash (`scrypt$N$salt$hash`, base64url) and compared in constant time;
 * five wrong PINs in a row make that operator wait {@link LOCKOUT_MS} before the next try.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { GatewayApiError } from '../../preload/define.js';
import type { GatewayDatabase } from '../queue/database.js';

/** An operator as the API shows it (never the hash). */
export interface OperatorInfo {
  id: string;
  name: string;
  hasPin: boolean;
}

interface OperatorRow {
  id: string;
  name: string;
  pin_hash: string | null;
  retired_at_ms: number | null;
}

/** scrypt cost (2^14: OWASP's minimum for scrypt), block size and key length. */
const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32 } as const;
const MAX_WRONG = 5;
const COLUMNS = 'id, name, pin_hash, retired_at_ms';
/** Wait after {@link MAX_WRONG} wrong PINs in a row, ms. */
export const LOCKOUT_MS = 30_000;

function scrypt(pin: string, salt: Buffer, N: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(pin, salt, SCRYPT.keyLength, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/** A new hash of `pin`: `scrypt$N$salt$hash`. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, SCRYPT.N);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `pin` matches `stored`; false for a malformed stored hash (never throws on it). */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  const N = Number(n);
  if (scheme !== 'scrypt' || !Number.isInteger(N) || N < 2 || salt === undefined || hash === undefined)
    return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(pin, Buffer.from(salt, 'base64url'), N);
  return expected.length === key.length && timingSafeEqual(expected, key);
}

export class OperatorsStore {
  private readonly wrong = new Map<string, { count: number; untilMs: number }>();

  constructor(
    private readonly db: GatewayDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  /** Operators who may sign in (retired ones are left out), by name. */
  list(): OperatorInfo[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM operators WHERE retired_at_ms IS NULL ORDER BY name_key`)
      .all() as OperatorRow[];
    return rows.map(toInfo);
  }

  get(id: string): OperatorInfo {
    return toInfo(this.row(id));
  }

  /**
   * Adds an operator; a name already taken (ignoring case) is refused. The name of a retired
   * operator brings that operator back (the same id their recordings name), with the new PIN.
   */
  async create(name: string, pin: string | undefined): Promise<OperatorInfo> {
    const trimmed = name.trim();
    const key = trimmed.toLowerCase();
    const pinHash = pin === undefined ? null : await hashPin(pin);
    const taken = this.db.prepare(`SELECT ${COLUMNS} FROM operators WHERE name_key = ?`).get(key) as
      OperatorRow | undefined;
    if (taken !== undefined && taken.retired_at_ms === null)
      throw new GatewayApiError('operator_exists', `There is already an operator called ${trimmed}.`);
    if (taken !== undefined) {
      this.db
        .prepare('UPDATE operators SET name = ?, pin_hash = ?, retired_at_ms = NULL WHERE id = ?')
        .run(trimmed, pinHash, taken.id);
      this.wrong.delete(taken.id);
      return this.get(taken.id);
    }
    const id = uuidv7();
    this.db
      .prepare('INSERT INTO operators (id, name, name_key, pin_hash) VALUES (?, ?, ?, ?)')
      .run(id, trimmed, key, pinHash);
    return this.get(id);
  }

  /**
   * Renames operator `id` and/or sets (`pin`), keeps (undefined) or removes (null) their PIN. A
   * name another operator has (ignoring case) is refused. Past recordings keep the name they
   * were made under.
   */
  async update(id: string, change: { name?: string; pin?: string | null }): Promise<OperatorInfo> {
    const row = this.row(id);
    const name = change.name?.trim() ?? row.name;
    const key = name.toLowerCase();
    const other = this.db.prepare('SELECT id FROM operators WHERE name_key = ? AND id != ?').get(key, id);
    if (other !== undefined)
      throw new GatewayApiError('operator_exists', `There is already an operator called ${name}.`);
    const pinHash =
      change.pin === undefined ? row.pin_hash : change.pin === null ? null : await hashPin(change.pin);
    this.db
      .prepare('UPDATE operators SET name = ?, name_key = ?, pin_hash = ? WHERE id = ?')
      .run(name, key, pinHash, id);
    return this.get(id);
  }

  /** Retires operator `id`: no longer offered at sign-in; their recordings still name them. */
  retire(id: string): void {
    this.row(id);
    this.db.prepare('UPDATE operators SET retired_at_ms = ? WHERE id = ?').run(Math.round(this.now()), id);
    this.wrong.delete(id);
  }

  /**
   * Checks `pin` for operator `id` (an operator without a PIN needs none). Rejects with
   * `wrong_pin`, `pin_required` or `pin_locked` in words staff read.
   */
  async checkPin(id: string, pin: string | undefined): Promise<OperatorInfo> {
    const row = this.row(id);
    if (row.retired_at_ms !== null)
      throw new GatewayApiError('operator_retired', `${row.name} no longer records at this desk.`);
    if (row.pin_hash === null) return toInfo(row);
    const strikes = this.wrong.get(id);
    if (strikes !== undefined && strikes.untilMs > this.now()) {
      const waitS = Math.ceil((strikes.untilMs - this.now()) / 1000);
      throw new GatewayApiError('pin_locked', `Too many wrong PINs: wait ${waitS} s and try again.`);
    }
    if (pin === undefined) throw new GatewayApiError('pin_required', `Enter ${row.name}’s PIN.`);
    if (await verifyPin(pin, row.pin_hash)) {
      this.wrong.delete(id);
      return toInfo(row);
    }
    const count = (strikes?.count ?? 0) + 1;
    this.wrong.set(id, { count, untilMs: count >= MAX_WRONG ? this.now() + LOCKOUT_MS : 0 });
    throw new GatewayApiError('wrong_pin', 'That PIN is not right. Try again.');
  }

  private row(id: string): OperatorRow {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM operators WHERE id = ?`).get(id) as
      OperatorRow | undefined;
    if (row === undefined)
      throw new GatewayApiError('operator_not_found', 'No such operator on this gateway.');
    return row;
  }
}

function toInfo(row: OperatorRow): OperatorInfo {
  return { id: row.id, name: row.name, hasPin: row.pin_hash !== null };
}
