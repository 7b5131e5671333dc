import type { IncomingMessage } from 'node:http';

/**
 * What the server uses of an Engine.IO connection (engine.io's `Socket`, which its types keep apart from
 * Socket.IO's): declared once here for the files that hook into connections below Socket.IO.
 */
export interface EngineConnection {
  /** The handshake's request; releaseRequests sets it to null once the connection is open. */
  request: IncomingMessage | null;
  remoteAddress: string;
  prependListener(event: 'data', listener: (this: EngineConnection, data: unknown) => void): void;
  once(event: 'close', listener: (this: EngineConnection) => void): void;
  close(): void;
  /**
   * Closes the connection at once, emitting 'close' before it returns (private in engine.io's types;
   * Engine.IO calls it itself when a transport fails, and `close()` ends in it).
   */
  onClose(reason: string): void;
}
