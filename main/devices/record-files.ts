/**
 * Reads WFDB records from disk for the simulators, the demo player, tests and benchmarks.
 * Parsing lives in `server-contract/formats/wfdb.ts`; this file only does the I/O.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  decodeWfdbSignals,
  parseMitAnnotations,
  parseWfdbHeader,
  type WfdbAnnotation,
  type WfdbHeader,
} from '../../server-contract/formats/wfdb.js';

/** A record's header and its signals in ADC units (one Int32Array per signal, header order). */
export interface WfdbRecord {
  header: WfdbHeader;
  signals: Int32Array[];
}

function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Loads `<dir>/<recordName>.hea` and its signal files. */
export function loadWfdbRecord(dir: string, recordName: string): WfdbRecord {
  const header = parseWfdbHeader(readFileSync(join(dir, `${recordName}.hea`), 'latin1'));
  const signals = decodeWfdbSignals(header, (fileName) => asBytes(readFileSync(join(dir, fileName))));
  return { header, signals };
}

/** Loads `<dir>/<recordName>.<extension>` annotations (`atr`, or a LUDB lead name such as `ii`). */
export function loadWfdbAnnotations(dir: string, recordName: string, extension: string): WfdbAnnotation[] {
  return parseMitAnnotations(asBytes(readFileSync(join(dir, `${recordName}.${extension}`))));
}

/** Whether `<dir>/<recordName>.hea` exists. */
export function hasWfdbRecord(dir: string, recordName: string): boolean {
  return existsSync(join(dir, `${recordName}.hea`));
}
