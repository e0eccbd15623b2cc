/**
 * The HTML report's calls section: a timeline per real-time call (docs/report.md). On one time
 * axis, ms since the dial: the caller's audio and what the caller heard as waveforms (the
 * loudest sample of each bucket, drawn as plain inline SVG: no library, no script), the
 * caller's speech and barge-in, the server's audio, marks from sent to echoed, `clear`, Twilio's
 * start, key presses and stop, the measured latencies, and the call's issues at their time.
 * Below each: both sides as `<audio controls>` (a μ-law WAV in a `data:` URI) and the same
 * events as a table, the SVG's text alternative.
 */
import { wavFile } from "../lib/wav-file.js";
import { text } from "./escape.js";
import type { CallTimeline, ReportedCall, RunReport, TimelineEvent } from "./types.js";

/** The SVG's coordinates: its width, the lanes' labels on the left, the plot beside them. */
const WIDTH = 1000;
const GUTTER = 72;
const PLOT = WIDTH - GUTTER - 12;
const HEIGHT = 282;
/** The lanes, top to bottom: [label, top, height]. */
const LANES = {
  said: ["caller", 22, 56],
  heard: ["heard", 84, 56],
  server: ["server", 146, 24],
  marks: ["marks", 174, 24],
  twilio: ["Twilio", 202, 24],
  measured: ["measured", 230, 46],
} as const satisfies Record<string, readonly [string, number, number]>;
/** Where each kind of event is drawn, and who did it (the table's column). */
const SIDE: Record<TimelineEvent["kind"], string> = {
  speech: "caller",
  "barge-in": "caller",
  media: "server",
  mark: "server",
  clear: "server",
  message: "server",
  start: "Twilio",
  dtmf: "caller",
  stop: "Twilio",
  "first-audio": "measured",
  "clear-latency": "measured",
};
/** Axis steps, in ms: the first that makes at most 10 ticks. */
const STEPS = [100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000];
/** base64url's digits: a waveform's peak of 0–63 each. */
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Timelines drawn a page (a load test of hundreds of calls gets a list, not a page of megabytes). */
const MAX_DRAWN = 50;

/** The calls section (empty without calls). */
export function callsSection({ calls }: RunReport): string {
  if (calls === undefined || calls.length === 0) return "";
  const timed = calls.filter((c) => c.timeline !== undefined);
  const embedded = timed.filter((c) => c.timeline?.audio !== undefined && "said" in c.timeline.audio).length;
  const firstOpen = calls.some((c) => c.failed) ? undefined : calls[0];
  // The failing calls' timelines first, then the others in order.
  const drawn = new Set([...calls.filter((c) => c.failed), ...calls.filter((c) => !c.failed)].slice(0, MAX_DRAWN));
  const notDrawn = `not drawn: the page draws ${MAX_DRAWN} timelines at most, failing calls first (the JSON report has every call's)`;
  return `<section class="calls">
<h2>Calls</h2>
<p class="message">${calls.length} real-time call(s). Each timeline runs left to right in seconds since the dial; hover a shape for its detail, or open the table below it. Audio embedded for ${embedded} of ${calls.length} call(s)${embedded < timed.length ? ", failing calls first" : ""}.</p>
${calls.map((call) => callDetails(call, call.failed || call === firstOpen, drawn.has(call) ? undefined : notDrawn)).join("\n")}
</section>
`;
}

/** A call: its metrics, evidence, and timeline (unless `notDrawn` says why not). */
function callDetails(call: ReportedCall, open: boolean, notDrawn: string | undefined): string {
  const id = call.name.replace(/\W+/g, "-");
  const status = call.failed ? "failed" : "passed";
  const head = `<summary><span class="mark" aria-hidden="true">${call.failed ? "✘" : "✔"}</span> <span class="status">${status}</span> ${text(call.name)} (${(call.durationMs / 1000).toFixed(1)} s) <span class="message">${text(call.error ?? call.measured)}</span></summary>`;
  const parts = [head];
  if (call.error !== undefined) parts.push(`<p class="message">${text(call.measured)}</p>`);
  if (call.evidence !== undefined)
    parts.push(
      `<p class="evidence">Evidence: the wire trace <code>${text(call.evidence.trace)}</code>, the stereo recording <code>${text(call.evidence.recording)}</code></p>`,
    );
  const timeline = call.timeline;
  if (timeline !== undefined && notDrawn !== undefined) parts.push(`<p class="message">Timeline ${notDrawn}.</p>`);
  else if (timeline !== undefined) parts.push(timelineFigure(call, timeline, id), audioBlock(call, timeline), eventsTable(call, timeline));
  return `<details class="call ${status}" id="${text(id)}"${open && notDrawn === undefined ? " open" : ""}>${parts.join("\n")}\n</details>`;
}

function timelineFigure(call: ReportedCall, timeline: CallTimeline, id: string): string {
  const span = Math.max(1, timeline.durationMs);
  const x = (ms: number) => round(GUTTER + (Math.min(Math.max(ms, 0), span) / span) * PLOT);
  const parts: string[] = [axis(span, x)];
  for (const [label, top, height] of Object.values(LANES))
    parts.push(`<text class="lane" x="4" y="${top + height / 2 + 4}">${label}</text>`);
  // The caller's speech behind its waveform.
  for (const e of timeline.events.filter((e) => e.kind === "speech" || e.kind === "barge-in"))
    parts.push(
      titled(e, `<rect class="${e.kind}" x="${x(e.atMs)}" y="${LANES.said[1]}" width="${width(x, e)}" height="${LANES.said[2]}"/>`),
    );
  parts.push(wave("said", timeline.said, timeline, x), wave("heard", timeline.heard, timeline, x));
  let markRow = 0;
  for (const e of timeline.events) parts.push(eventShape(e, x, markRow++ % 3));
  for (const issue of call.issues) {
    const at = x(issue.atMs);
    parts.push(
      `<g class="issue"><title>${text(`${seconds(issue.atMs)}: issue ${issue.rule}: ${issue.message}`)}</title><line x1="${at}" x2="${at}" y1="18" y2="${HEIGHT - 4}"/><path d="M${at - 5} 18h10l-5 8z"/></g>`,
    );
  }
  const label = `Timeline of ${call.name}: ${call.measured}. The table below lists the same events.`;
  return `<figure class="timeline"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${text(id)}-svg"><title id="${text(id)}-svg">${text(label)}</title>${parts.join("")}</svg>
<figcaption class="legend">${LEGEND}</figcaption></figure>`;
}

const LEGEND = (
  [
    ["said", "the caller's audio"],
    ["speech", "speech"],
    ["barge-in", "barge-in"],
    ["heard", "what the caller heard (Twilio's playback)"],
    ["media", "the server's audio"],
    ["mark", "mark, sent → echoed"],
    ["clear", "clear"],
    ["measure", "latency"],
    ["issue", "issue"],
  ] as const
)
  .map(([key, words]) => `<span class="entry"><span class="key ${key}"></span>${words}</span>`)
  .join(" ");

/** Ticks every step of seconds, with their labels. */
function axis(span: number, x: (ms: number) => number): string {
  const step = STEPS.find((s) => span / s <= 10) ?? STEPS.at(-1)!;
  const ticks: string[] = [];
  for (let ms = 0; ms <= span; ms += step)
    ticks.push(
      `<line class="grid" x1="${x(ms)}" x2="${x(ms)}" y1="16" y2="${HEIGHT}"/><text class="tick" x="${x(ms)}" y="12">${seconds(ms)}</text>`,
    );
  return ticks.join("");
}

/** A waveform: one vertical bar a bucket, as tall as its loudest sample. */
function wave(lane: "said" | "heard", peaks: string, timeline: CallTimeline, x: (ms: number) => number): string {
  const [, top, height] = LANES[lane];
  const mid = top + height / 2;
  const bars: string[] = [];
  for (let i = 0; i < peaks.length; i++) {
    const level = DIGITS.indexOf(peaks[i]!);
    if (level <= 0) continue;
    const half = round(Math.max(0.5, (level / 63) * (height / 2 - 2)));
    bars.push(`M${x((i + 0.5) * timeline.bucketMs)} ${round(mid - half)}v${round(2 * half)}`);
  }
  const bar = Math.max(1, round((PLOT / Math.max(1, peaks.length)) * 0.8));
  return `<line class="axis" x1="${GUTTER}" x2="${GUTTER + PLOT}" y1="${mid}" y2="${mid}"/><path class="wave ${lane}" stroke-width="${bar}" d="${bars.join("")}"/>`;
}

/** One event in its lane (speech is drawn behind the caller's waveform). */
function eventShape(e: TimelineEvent, x: (ms: number) => number, row: number): string {
  const at = x(e.atMs);
  switch (e.kind) {
    case "speech":
    case "barge-in":
      return "";
    case "media":
      return titled(e, `<rect class="media" x="${at}" y="${LANES.server[1] + 4}" width="${width(x, e)}" height="16"/>`);
    case "clear":
      return titled(
        e,
        `<rect class="clear" x="${at - 1.5}" y="${LANES.said[1]}" width="3" height="${LANES.server[1] + 24 - LANES.said[1]}"/>`,
      );
    case "message":
      return titled(e, `<circle class="message" cx="${at}" cy="${LANES.server[1] + 12}" r="4"/>`);
    case "mark": {
      const y = LANES.marks[1] + 5 + row * 7;
      const to = e.toMs === undefined ? x(Number.POSITIVE_INFINITY) : x(e.toMs);
      const line =
        e.toMs === undefined
          ? `<line class="unechoed" x1="${at}" x2="${to}" y1="${y}" y2="${y}"/>`
          : `<line x1="${at}" x2="${to}" y1="${y}" y2="${y}"/>`;
      return titled(
        e,
        `<g class="mark">${line}<circle cx="${at}" cy="${y}" r="2.5"/>${e.toMs === undefined ? "" : `<path d="M${to} ${y - 3}v6"/>`}</g>`,
      );
    }
    case "start":
    case "stop":
      return titled(e, `<path class="twilio" d="M${at} ${LANES.twilio[1] + 2}v20"/>`);
    case "dtmf":
      return titled(
        e,
        `<g class="dtmf"><rect x="${at - 7}" y="${LANES.twilio[1] + 3}" width="14" height="18" rx="3"/><text x="${at}" y="${LANES.twilio[1] + 16}">${text(e.label.slice(-1))}</text></g>`,
      );
    case "first-audio":
    case "clear-latency": {
      const y = LANES.measured[1] + (e.kind === "first-audio" ? 10 : 32);
      const to = x(e.toMs ?? e.atMs);
      return titled(
        e,
        `<g class="measure ${e.kind}"><path d="M${at} ${y - 5}v10M${at} ${y}H${to}M${to} ${y - 5}v10"/><text x="${round((at + to) / 2)}" y="${y - 4}">${shortLatency(e)}</text></g>`,
      );
    }
  }
}

/** A latency on the axis: its length, or `none in …` when nothing came. */
function shortLatency(e: TimelineEvent): string {
  const ms = `${Math.round((e.toMs ?? e.atMs) - e.atMs)} ms`;
  return /\bno\b/.test(e.label) ? `none in ${ms}` : ms;
}

/** An element with its event's text as a tooltip. */
function titled(e: TimelineEvent, shape: string): string {
  return `<g><title>${text(`${seconds(e.atMs)}: ${e.label}`)}</title>${shape}</g>`;
}

function width(x: (ms: number) => number, e: TimelineEvent): number {
  return Math.max(1, round(x(e.toMs ?? e.atMs) - x(e.atMs)));
}

/** Both sides, playable: μ-law WAVs in data: URIs (the page's policy allows media from data: only). */
function audioBlock(call: ReportedCall, timeline: CallTimeline): string {
  const audio = timeline.audio;
  if (audio === undefined) return "";
  if (!("said" in audio)) return `<p class="message">Audio not embedded: ${text(audio.leftOut)}.</p>`;
  const player = (side: string, mulaw: string) =>
    `<span class="player"><span>${side}</span> <audio controls preload="metadata" aria-label="${text(`${call.name}: ${side}`)}" src="data:audio/wav;base64,${mulawWav(mulaw)}"></audio></span>`;
  const cut = audio.cutAtMs === undefined ? "" : `<p class="message">The first ${seconds(audio.cutAtMs)} of the call.</p>`;
  return `<div class="audio">${player("what the caller said", audio.said)} ${player("what the caller heard", audio.heard)}</div>${cut}`;
}

/** A WAV file of base64 μ-law (8000 Hz, mono, as on the wire), as base64. */
function mulawWav(mulaw: string): string {
  return wavFile(Buffer.from(mulaw, "base64"), { tag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8 }).toString("base64");
}

/** The SVG's text alternative: every event and issue in time order. */
function eventsTable(call: ReportedCall, timeline: CallTimeline): string {
  const rows = [
    ...timeline.events.map((e) => ({ atMs: e.atMs, toMs: e.toMs, side: SIDE[e.kind], what: e.label, issue: false })),
    ...call.issues.map((f) => ({ atMs: f.atMs, toMs: undefined, side: "issue", what: `${f.rule}: ${f.message}`, issue: true })),
  ].sort((a, b) => a.atMs - b.atMs);
  const more = timeline.eventsLeftOut > 0 ? `<p class="message">${timeline.eventsLeftOut} more event(s) not shown.</p>` : "";
  return `<details class="events"><summary>The timeline as a table: ${timeline.events.length} event(s), ${call.issues.length} issue(s)</summary>
<table><thead><tr><th scope="col">at</th><th scope="col">until</th><th scope="col">who</th><th scope="col">what</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr${r.issue ? ' class="issue"' : ""}><td>${seconds(r.atMs)}</td><td>${r.toMs === undefined ? "" : seconds(r.toMs)}</td><td>${r.side}</td><td>${text(r.what)}</td></tr>`,
    )
    .join("")}</tbody></table>${more}</details>`;
}

/** `1.234 s`. */
function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 3)} s`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The timelines' look, in the page's colours (light and dark). */
export const TIMELINE_STYLE = `
:root{--said:#0969da;--heard:#1a7f37;--mark:#8250df;--clear:#bc4c00;--measure:#59636e}
@media (prefers-color-scheme:dark){:root{--said:#4493f8;--heard:#3fb950;--mark:#ab7df8;--clear:#f0883e;--measure:#9198a1}}
details.call{border:1px solid var(--line);border-radius:6px;margin:.6rem 0;padding:.3rem .7rem}details.call.failed{border-color:var(--fail)}
.failed>summary .mark{color:var(--fail)}.passed>summary .mark{color:var(--pass)}
figure.timeline svg{width:100%;height:auto;display:block;font:11px system-ui,sans-serif}
svg .lane,svg .tick{fill:var(--muted)}svg .tick{text-anchor:middle}svg .grid{stroke:var(--line);stroke-width:.5}svg .axis{stroke:var(--line)}
svg .wave{fill:none}svg .wave.said{stroke:var(--said)}svg .wave.heard{stroke:var(--heard)}
svg .speech{fill:var(--said);opacity:.15}svg .barge-in{fill:var(--clear);opacity:.25}
svg .media{fill:var(--heard);opacity:.6}svg .clear{fill:var(--clear)}svg .message{fill:var(--skip)}
svg .mark line,svg .mark path{stroke:var(--mark)}svg .mark circle{fill:var(--mark)}svg .mark .unechoed{stroke-dasharray:3 3}
svg .twilio{stroke:var(--fg);stroke-width:2}svg .dtmf rect{fill:none;stroke:var(--fg)}svg .dtmf text{fill:var(--fg);text-anchor:middle}
svg .measure path{stroke:var(--measure);fill:none;stroke-width:1.5}svg .measure text{fill:var(--fg);text-anchor:middle}
svg .issue line{stroke:var(--fail);stroke-width:1.5}svg .issue path{fill:var(--fail)}
.legend{font-size:.85rem;color:var(--muted)}.entry{white-space:nowrap}.key{display:inline-block;width:.8rem;height:.8rem;margin:0 .25rem 0 .6rem;vertical-align:-.1rem;border-radius:2px}
.key.said{background:var(--said)}.key.speech{background:var(--said);opacity:.3}.key.barge-in{background:var(--clear);opacity:.4}.key.heard{background:var(--heard)}.key.media{background:var(--heard);opacity:.6}.key.mark{background:var(--mark)}.key.clear{background:var(--clear)}.key.measure{background:var(--measure)}.key.issue{background:var(--fail)}
.audio{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.4rem 0}.player{display:inline-flex;flex-direction:column;color:var(--muted);font-size:.85rem}
audio:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.evidence code{overflow-wrap:anywhere}
tr.issue td{color:var(--fail)}
`
  .trim()
  .replace(/\n/g, "");
