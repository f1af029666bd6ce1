/**
 * `npm run capture -- --port PATH --seconds N --out DIR [--rate HZ] [--record NAME]`
 *
 * Records what an ECG-12 unit sends for N seconds of wall-clock time into a WFDB record (12 leads,
 * format 16, µV) plus a JSON file of the decoder's counters and the unit's INFO. Without `--port`
 * the unit is found by its USB id (1209:EC12).
 */
import { parseArgs } from 'node:util';
import { runCapture } from './capture.js';
import { isSupportedRate } from './protocol.js';

function defaultRecordName(): string {
  return `ecg12_${new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seconds: { type: 'string' },
      out: { type: 'string' },
      rate: { type: 'string' },
      record: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const rateHz = values.rate === undefined ? 500 : Number(values.rate);
  if (!(seconds > 0) || values.out === undefined || !isSupportedRate(rateHz)) {
    console.error(
      'usage: npm run capture -- [--port PATH] --seconds N --out DIR [--rate 80|250|500|1000] [--record NAME]',
    );
    process.exitCode = 2;
    return;
  }
  const recordName = values.record ?? defaultRecordName();
  const summary = await runCapture({
    path: values.port,
    seconds,
    outDir: values.out,
    recordName,
    rateHz,
    onStatus: (message) => console.log(message),
  });
  const c = summary.counters;
  console.log(
    `wrote ${values.out}/${recordName}.{hea,dat,json}: ${summary.sampleSets} sample sets at ${summary.rateHz} Hz, ` +
      `${summary.lostSampleSets} lost, ${c.crcRejects} CRC rejects, ${c.bytesDiscarded} bytes discarded`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
