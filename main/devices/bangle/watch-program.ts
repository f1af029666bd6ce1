/**
 * The program the gateway puts on the watch (`bangle-stream.md` "Getting the program onto
 * the watch" and "Lines from the watch"). It defines one global object `pw`; every call
 * answers with one line; every line carries `t` and the counter `n`.
 *
 * Kept small because it is re-sent on every connection. Each entry of {@link WATCH_PROGRAM}
 * is one complete statement, sent as one `\x10` (echo off) line, so the REPL executes it
 * as soon as its newline arrives.
 */

/** Protocol version shared by the program and the gateway; a mismatch is an error. */
export const PROTOCOL_VERSION = 1;

/**
 * Accelerometer output data rate codes for the KX022 ODCNTL register 0x1B (0: 12.5 Hz,
 * 1: 25, 2: 50, 3: 100), as BangleApps set them with `Bangle.accelWr(0x1B, code|0x40)`
 * plus `Bangle.setPollInterval(1000/hz)` (domain-notes §1.4). Not verified on a real watch here.
 */
export const WATCH_PROGRAM: readonly string[] = [
  'if(typeof pw=="object"&&pw.off)pw.off();',
  `var pw={v:${PROTOCOL_VERSION},n:0,q:[],g:[],iv:[],hz:12.5,ph:25};`,
  'pw.ms=function(){return Math.round(getTime()*1000);};',
  'pw.o=function(m){m.n=pw.n++;Bluetooth.println(JSON.stringify(m));};',
  'pw.r=function(c,f){try{f();pw.o({t:"ok",call:c});return 1;}catch(e){pw.o({t:"err",call:c,msg:""+e});return 0;}};',
  'pw.bat=function(){pw.o({t:"bat",ts:pw.ms(),pct:E.getBattery(),chg:Bangle.isCharging()});};',
  'pw.h=function(h){pw.o({t:"hrm",ts:pw.ms(),bpm:h.bpm,conf:h.confidence});};',
  'pw.a=function(a){if(!pw.q.length)pw.qt=pw.ms();pw.q.push(Math.round(a.x*1000),Math.round(a.y*1000),Math.round(a.z*1000));};',
  'pw.p=function(r){if(!pw.g.length)pw.gt=pw.ms();pw.g.push(r.raw);};',
  'pw.f=function(){if(pw.q.length){pw.o({t:"acc",ts:pw.qt,hz:pw.hz,xyz:pw.q});pw.q=[];}if(pw.g.length){pw.o({t:"ppg",ts:pw.gt,hz:pw.ph,raw:pw.g});pw.g=[];}};',
  'pw.off=function(){pw.iv.forEach(function(i){clearInterval(i);});pw.iv=[];Bangle.removeListener("HRM",pw.h);Bangle.removeListener("accel",pw.a);Bangle.removeListener("HRM-raw",pw.p);Bangle.setHRMPower(0,"pw");if(pw.hz!=12.5)Bangle.accelWr(0x1B,0x40);Bangle.setPollInterval(80);pw.hz=12.5;pw.q=[];pw.g=[];};',
  'pw.go=function(o){var c=[12.5,25,50,100].indexOf(o.accHz||12.5);if(c<0)throw new Error("accHz "+o.accHz);pw.hz=o.accHz||12.5;if(c)Bangle.accelWr(0x1B,c|0x40);Bangle.setPollInterval(1000/pw.hz);Bangle.on("accel",pw.a);if(o.hrm!==false)Bangle.on("HRM",pw.h);if(o.ppg){Bangle.setOptions({hrmPollInterval:1000/pw.ph});Bangle.on("HRM-raw",pw.p);}if(o.hrm!==false||o.ppg)Bangle.setHRMPower(1,"pw");pw.iv.push(setInterval(pw.f,1000),setInterval(pw.bat,60000));};',
  'pw.start=function(o){pw.off();pw.n=0;if(pw.r("start",function(){pw.go(o||{});}))pw.bat();else pw.off();};',
  'pw.stop=function(){pw.r("stop",pw.off);};',
  'pw.ping=function(){pw.o({t:"pong",ts:pw.ms()});};',
  'pw.code=function(c){pw.r("code",function(){if(c===null)E.showMessage("PulseWatch");else E.showMessage(c,"Pairing code");});};',
  'pw.unpair=function(){pw.off();pw.r("unpair",function(){E.showMessage("");});setTimeout(reset,500);};',
  'pw.o({t:"hello",v:pw.v,fw:process.env.VERSION,hw:process.env.BOARD,ts:pw.ms()});',
];

/** Options for `pw.start` (defaults: heart rate on, accelerometer 12.5 Hz, PPG off). */
export interface StreamOptions {
  /** Stream heart rate (`hrm` lines). Default true. */
  hrm: boolean;
  /** Accelerometer rate, Hz: 12.5 (default), 25, 50 or 100. */
  accHz: 12.5 | 25 | 50 | 100;
  /** Stream raw PPG (`ppg` lines, 25 Hz). Default false. */
  ppg: boolean;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = { hrm: true, accHz: 12.5, ppg: false };

/** Prefix that turns echo off for one REPL line (`README_Protocol.md`). */
export const ECHO_OFF = '\x10';
/** Ctrl-C: break out of whatever is running and clear the input line. */
export const BREAK = '\x03';

/** One `\x10` REPL line executing `statement`. */
export function replLine(statement: string): string {
  return `${ECHO_OFF}${statement}\n`;
}

/** The clock-setting line: `setTime(<unix seconds with ms fraction>);E.setTimeZone(0);`. */
export function setTimeStatement(nowMs: number): string {
  return `setTime(${(nowMs / 1000).toFixed(3)});E.setTimeZone(0);`;
}

/** `pw.start({...})` with the options as a JS object literal. */
export function startStatement(options: StreamOptions): string {
  return `pw.start(${JSON.stringify(options)})`;
}

/** `pw.code("1234")` to show a pairing code, `pw.code(null)` to clear it. */
export function codeStatement(code: string | null): string {
  if (code !== null && !/^\d{4}$/.test(code)) throw new RangeError('pairing code must be 4 digits');
  return `pw.code(${code === null ? 'null' : JSON.stringify(code)})`;
}
