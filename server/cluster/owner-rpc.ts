import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AckError } from '../../shared/protocol/errors.ts';

/** Sent to the owner of a room by the process holding the student's socket. */
interface Request {
  id: string;
  replyTo: string;
  gameId: string;
  payload: unknown;
}

type Reply = { id: string; ok: true; result: unknown } | { id: string; ok: false; message: string };

/**
 * The owner could not be asked or did not answer in time. The command may or may not have been applied
 * (a reply can be lost after the owner acted), so the client retries with the same command id and the
 * owner's dedupe makes the retry safe; it is never reported as done.
 */
export class OwnerUnavailableError extends Error {
  constructor(
    readonly nodeId: string,
    readonly why: 'no-listener' | 'timeout',
  ) {
    super(
      why === 'no-listener'
        ? `The process that runs this room (${nodeId}) is not reachable`
        : `The process that runs this room (${nodeId}) did not answer in time`,
    );
    this.name = 'OwnerUnavailableError';
  }
}

/**
 * What the acknowledgement says: a stable code the client retries on, and words for the class. Not the
 * error's own message: "The process that runs this room (node3) is not reachable" was on a projector in
 * front of a class, and the pages ask again by themselves (client/src/net/keep-resumed.ts).
 */
export function ownerUnavailableAck(_e: OwnerUnavailableError): AckError {
  return { code: 'owner-unavailable', message: 'This game is moving to another server: back in a moment.' };
}

/**
 * Request/response between cluster processes over Redis pub/sub: a process that holds a student's socket
 * but not the room sends the command to the room's owner (its node channel) and relays the owner's
 * answer. Pub/sub delivers at most once, and a publish reaching no subscriber fails at once, so every
 * call ends in the owner's answer or OwnerUnavailableError within the timeout: never silence.
 * `sub` must be a connection of its own (a subscribed connection can send nothing else).
 */
export class OwnerRpc {
  private readonly waiting = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private handler: ((gameId: string, payload: unknown) => Promise<unknown>) | null = null;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    readonly nodeId: string,
    private readonly prefix = 'lemonscale:',
  ) {}

  private requests(nodeId: string): string {
    return `${this.prefix}rpc:node:${nodeId}`;
  }

  private replies(nodeId: string): string {
    return `${this.prefix}rpc:reply:${nodeId}`;
  }

  /** Listens for requests to this process and for replies to its own calls. */
  async start(handler: (gameId: string, payload: unknown) => Promise<unknown>): Promise<void> {
    this.handler = handler;
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.requests(this.nodeId)) void this.answer(JSON.parse(text) as Request);
      else if (channel === this.replies(this.nodeId)) this.settle(JSON.parse(text) as Reply);
    });
    await this.sub.subscribe(this.requests(this.nodeId), this.replies(this.nodeId));
  }

  private async answer(req: Request): Promise<void> {
    let reply: Reply;
    try {
      reply = { id: req.id, ok: true, result: await this.handler!(req.gameId, req.payload) };
    } catch (e) {
      reply = { id: req.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    await this.pub.publish(this.replies(req.replyTo), JSON.stringify(reply)).catch(() => undefined);
  }

  private settle(reply: Reply): void {
    const w = this.waiting.get(reply.id);
    if (!w) return; // answered after its timeout: the caller already told the client to retry
    this.waiting.delete(reply.id);
    clearTimeout(w.timer);
    if (reply.ok) w.resolve(reply.result);
    else w.reject(new Error(reply.message));
  }

  /** Asks the owner `nodeId`; its handler's answer, or OwnerUnavailableError. */
  async call(nodeId: string, gameId: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new OwnerUnavailableError(nodeId, 'timeout'));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
    });
    // The answer may come back before the publish below resolves: handled now, so a refusal arriving
    // that early is not reported as an unhandled rejection (the caller still gets it).
    answer.catch(() => undefined);
    const req: Request = { id, replyTo: this.nodeId, gameId, payload };
    let listeners: number;
    try {
      listeners = await this.pub.publish(this.requests(nodeId), JSON.stringify(req));
    } catch {
      listeners = 0;
    }
    if (listeners === 0) {
      const w = this.waiting.get(id);
      if (w) {
        clearTimeout(w.timer);
        this.waiting.delete(id);
        w.reject(new OwnerUnavailableError(nodeId, 'no-listener'));
      }
    }
    return answer;
  }

  async close(): Promise<void> {
    for (const [, w] of this.waiting) clearTimeout(w.timer);
    this.waiting.clear();
    await this.sub.unsubscribe().catch(() => undefined);
  }
}
