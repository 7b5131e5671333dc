import { MemoryStore } from '../../../server/storage/memory-store.ts';
import { StoreWriteError, type StoreFault } from '../../../server/storage/store-errors.ts';

/**
 * The memory store with a fault switch: while `fault` is set every write is refused with the
 * StoreWriteError the SQLite store gives for it, before anything is written (as its transaction would).
 */
export class FaultyStore extends MemoryStore {
  fault: StoreFault | null = null;
  refused = 0;

  private check(): void {
    if (this.fault === null) return;
    this.refused++;
    throw new StoreWriteError(this.fault, `injected: ${this.fault}`);
  }

  override batch<T>(fn: () => T): T {
    this.check();
    return super.batch(fn);
  }
  override appendCommands(...a: Parameters<MemoryStore['appendCommands']>): void {
    this.check();
    super.appendCommands(...a);
  }
  override addPlayer(...a: Parameters<MemoryStore['addPlayer']>): void {
    this.check();
    super.addPlayer(...a);
  }
  override saveRoom(...a: Parameters<MemoryStore['saveRoom']>): void {
    this.check();
    super.saveRoom(...a);
  }
  override endGame(...a: Parameters<MemoryStore['endGame']>): void {
    this.check();
    super.endGame(...a);
  }
  override closeRoom(...a: Parameters<MemoryStore['closeRoom']>): void {
    this.check();
    super.closeRoom(...a);
  }
}
