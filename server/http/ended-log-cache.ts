/**
 * The downloads of ended games' logs, as sent (JSON text), newest used kept. An ended game's log never
 * changes, so a class opening the same replay, or a script asking in a loop, costs one read of the store
 * and one JSON.stringify (a 100,000-command game: ~0.4 s of the event loop) instead of one per request.
 * Bounded by the characters it holds; a log bigger than the whole budget is not kept.
 */
export class EndedLogCache {
  private readonly logs = new Map<string, string>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  get(gameId: string): string | undefined {
    const text = this.logs.get(gameId);
    if (text === undefined) return undefined;
    // Most recently used last: the first entry is the one to drop.
    this.logs.delete(gameId);
    this.logs.set(gameId, text);
    return text;
  }

  /** The game was deleted (GAME_RETENTION_DAYS): its log is never sent again. */
  delete(gameId: string): void {
    const text = this.logs.get(gameId);
    if (text === undefined) return;
    this.logs.delete(gameId);
    this.chars -= text.length;
  }

  set(gameId: string, text: string): void {
    if (text.length > this.maxChars || this.logs.has(gameId)) return;
    this.logs.set(gameId, text);
    this.chars += text.length;
    for (const [id, old] of this.logs) {
      if (this.chars <= this.maxChars) break;
      this.logs.delete(id);
      this.chars -= old.length;
    }
  }
}
