/**
 * How this page's business kept up with the server: proofs that agreed, that could not be checked
 * (the page was not at the proof's point), that disagreed, holes in the stream and snapshots asked for.
 * On `window.lemonscaleStream` so the browser tests can assert it; nothing on screen reads it.
 */
export const streamStats = {
  snapshots: 0,
  agreed: 0,
  unchecked: 0,
  mismatches: 0,
  gaps: 0,
  resyncs: 0,
};

(globalThis as { lemonscaleStream?: typeof streamStats }).lemonscaleStream = streamStats;
