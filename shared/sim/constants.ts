/** Integer ticks drive everything; a game second is this many ticks. */
export const TICKS_PER_SECOND = 10;
export const SECONDS_PER_TICK = 1 / TICKS_PER_SECOND;

/** Version of the state layout and of the game log format; bump when either changes meaning. */
export const SIM_VERSION = 2;
// Version 2: every arrival is routed with the lines as they are at that moment (in time order within
// the tick), customers who gave up are never counted in a line, regulars are re-homed (routing.ts),
// and the metrics hold time in system, line length and utilisation.

/**
 * One cup per second stands for this many requests per second, so that the game's numbers line up with
 * the text's key metrics (lesson L10): a tier-5 blender (16 cups/s) is a 16K req/s server, inside the
 * text's "single server ~10K-50K req/s"; a hundred such stands is a cluster of millions.
 */
export const REQUESTS_PER_CUP = 1000;

/** Hard caps that bound the cost of one player's business for the server, whatever they buy. */
export const MAX_STANDS = 64;
export const MAX_LOAD_BALANCERS = 2;

/** Waits are recorded into a histogram with this bucket width (seconds) for the p95. */
export const WAIT_BUCKET_SECONDS = 0.1;
export const WAIT_BUCKETS = 1200; // up to 120 s; longer waits land in the last bucket
