/**
 * What the cluster's PostgreSQL store refuses, as types a caller can branch on. A refused write kept
 * nothing (each is one transaction), so the caller must not acknowledge what it was writing.
 */

/** A newer owner claimed the game (a higher lease epoch): this process must stop writing and drop the room. */
export class FencedError extends Error {
  constructor(
    readonly gameId: string,
    readonly epoch: number,
    readonly storedEpoch: number | null,
  ) {
    super(
      storedEpoch === null
        ? `Game ${gameId} is not in the store`
        : `Game ${gameId} is owned under epoch ${storedEpoch}; a write under epoch ${epoch} was refused`,
    );
    this.name = 'FencedError';
  }
}

/** Another open room in the cluster has this code: pick another one. */
export class RoomCodeTakenError extends Error {
  constructor(readonly roomCode: string) {
    super(`Room code ${roomCode} is in use in the cluster`);
    this.name = 'RoomCodeTakenError';
  }
}
