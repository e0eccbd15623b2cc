// The jitter of paced frames, as the media benches measure it: given when each frame of each
// series (one track of one socket) was seen, the intervals between a series' consecutive frames,
// their jitter |interval − 20 ms| (p50, p99) and the longest interval.
export function jitterStats(series) {
  const jitter = [];
  let maxInterval = 0;
  let frames = 0;
  for (const times of series) {
    frames += times.length;
    for (let i = 1; i < times.length; i++) {
      const interval = times[i] - times[i - 1];
      jitter.push(Math.abs(interval - 20));
      if (interval > maxInterval) maxInterval = interval;
    }
  }
  jitter.sort((a, b) => a - b);
  const at = (q) => (jitter.length === 0 ? 0 : jitter[Math.min(jitter.length - 1, Math.ceil(q * jitter.length) - 1)]);
  return { frames, p50: at(0.5), p99: at(0.99), maxInterval };
}

/** The columns of a media bench's table for the jitter at the send and at the server, and a row's cells (ms). */
export const JITTER_COLUMNS = ["send p50", "send p99", "send max interval", "server p50", "server p99", "server max interval"];
export function jitterCells(sent, server) {
  return [sent, server].flatMap((s) => [s.p50.toFixed(2), s.p99.toFixed(2), s.maxInterval.toFixed(1)]);
}
