/**
 * The ECG-12 simulator on a pseudo-terminal: what `npm run sim:ecg12` runs and what the
 * integration tests drive in-process. Holds an {@link Ecg12Simulator}, paces it with a timer,
 * and can unplug (kill the pty: the host sees a hang-up) and replug (a new pty behind the same
 * symlink, the unit powered up afresh: stopped, 500 Hz, seq from 0 at the next START).
 */
import { Ecg12Simulator, type Ecg12SimulatorOptions } from './simulator.js';
import { PseudoTerminal } from './pty-pair.js';

/** Options of {@link Ecg12PtySimulator}. */
export interface Ecg12PtySimulatorOptions extends Ecg12SimulatorOptions {
  /** Stable path (a symlink to the current pty) for the host to open; without it the pty's own path. */
  linkPath?: string;
  /** Pacing timer period, ms. Default 10. */
  tickMs?: number;
  /** Simulated time runs this many times faster than the wall clock (tests). Default 1. */
  timeScale?: number;
  /** Wall clock, ms. Default `Date.now`. */
  now?: () => number;
}

/** See the file comment. */
export class Ecg12PtySimulator {
  private pty: PseudoTerminal | undefined;
  private sim: Ecg12Simulator | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly startWallMs: number;

  private constructor(private readonly options: Ecg12PtySimulatorOptions) {
    this.startWallMs = this.wallMs();
  }

  /** Creates the pty and powers the unit up. */
  static async start(options: Ecg12PtySimulatorOptions): Promise<Ecg12PtySimulator> {
    const simulator = new Ecg12PtySimulator(options);
    await simulator.plugIn();
    return simulator;
  }

  /** The path the host should open. */
  get path(): string {
    if (this.pty === undefined) throw new Error('the simulated unit is unplugged');
    return this.pty.path;
  }

  /** Whether the unit is plugged in. */
  get isPluggedIn(): boolean {
    return this.pty !== undefined;
  }

  /** The simulated unit (undefined while unplugged). */
  get unit(): Ecg12Simulator | undefined {
    return this.sim;
  }

  /** Simulated time, ms (wall time since start × timeScale, plus the start time). */
  simulatedMs(): number {
    return this.startWallMs + (this.wallMs() - this.startWallMs) * (this.options.timeScale ?? 1);
  }

  /** Pulls the cable: the pty hangs up. */
  async unplug(): Promise<void> {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    const pty = this.pty;
    this.pty = undefined;
    this.sim = undefined;
    await pty?.close();
  }

  /** Plugs the cable back in: a new pty (same symlink), the unit powered up afresh. */
  async replug(): Promise<void> {
    if (this.pty !== undefined) return;
    await this.plugIn();
  }

  /** Unplugs and stops. */
  async stop(): Promise<void> {
    await this.unplug();
  }

  private wallMs(): number {
    return (this.options.now ?? Date.now)();
  }

  private async plugIn(): Promise<void> {
    const pty = await PseudoTerminal.open(this.options.linkPath);
    const sim = new Ecg12Simulator(this.options, (bytes) => pty.write(bytes));
    pty.onData((bytes) => sim.receive(bytes, this.simulatedMs()));
    this.pty = pty;
    this.sim = sim;
    sim.powerUp(this.simulatedMs());
    this.ticker = setInterval(() => sim.tick(this.simulatedMs()), this.options.tickMs ?? 10);
  }
}
