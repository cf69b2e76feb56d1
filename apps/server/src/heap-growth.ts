import { setFlagsFromString } from 'node:v8';

/**
 * Keeps the server's peak memory near its live heap. V8 lets the old generation grow to up to 4× what survived the
 * last full collection before collecting again when its heap limit is large (any host with more than ~16 GB), and a
 * provisioning burst promotes a steady stream of short-lived request garbage (query building, entity hydration):
 * during an Entra sync the live heap stays at 40–46 MB while RSS peaked at 250–290 MB. With a 1.5× growth factor
 * the peak stays at 170–185 MB at no measurable cost in throughput (scripts/bench, BENCHMARKS.md).
 *
 * V8 reads this flag at every collection, so setting it here, after start, takes effect; heap-size flags such as
 * --max-old-space-size would not (they are fixed when the isolate is created), and NODE_OPTIONS does not accept
 * this one. Imported first by main.ts. A value given on the command line (`node --heap-growing-percent=N`) wins.
 *
 * The young generation is one of those fixed sizes: the start scripts (`npm start`, `npm run start:prod`, `npm run
 * demo`) run node with `--max-semi-space-size=8`, half of V8's 16 MB, which lowers the peak of a sync by 15–17 MiB
 * at the same CPU per request (BENCHMARKS.md); set here at run time it would change nothing.
 */
const FLAG = '--heap-growing-percent';
if (!process.execArgv.some((arg) => arg.replace(/_/g, '-').startsWith(FLAG))) {
  setFlagsFromString(`${FLAG}=50`);
}
