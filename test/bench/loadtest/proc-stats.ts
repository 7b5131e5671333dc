import fs from 'node:fs';

/** CPU seconds (user + system) and resident memory of a process, read from /proc (Linux). */
export interface ProcSample {
  cpuSeconds: number;
  rssMb: number;
  at: number;
}

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

export function sampleProc(pid: number): ProcSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssMb: rssKb / 1024, at: performance.now() };
}

/** Share of one core used between two samples (1 = one full core). */
export function coreShare(a: ProcSample, b: ProcSample): number {
  return (b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000);
}

/** CPU seconds of each thread of a process, user and system apart, with its name (Linux). */
export interface ThreadTimes {
  at: number;
  threads: Map<number, { name: string; user: number; system: number }>;
}

export function sampleThreads(pid: number): ThreadTimes {
  const threads: ThreadTimes['threads'] = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), {
        name,
        user: Number(fields[11]) / CLOCK_TICKS,
        system: Number(fields[12]) / CLOCK_TICKS,
      });
    } catch {
      // the thread ended
    }
  }
  return { at: performance.now(), threads };
}

/**
 * Where a process's CPU went between two samples, in shares of one core: the main thread (the event
 * loop: user and system apart, the system part mostly the sockets' writes) and the other threads (V8's
 * workers: concurrent garbage collection and the optimising compiler; libuv's pool). Node 20 names all
 * of its threads "node", so they are told apart only as the main one and the rest.
 */
export function threadShares(
  pid: number,
  a: ThreadTimes,
  b: ThreadTimes,
): { mainUser: number; mainSystem: number; other: number } {
  const secs = (b.at - a.at) / 1000;
  const out = { mainUser: 0, mainSystem: 0, other: 0 };
  for (const [tid, t] of b.threads) {
    const t0 = a.threads.get(tid) ?? { user: 0, system: 0 };
    const user = (t.user - t0.user) / secs;
    const system = (t.system - t0.system) / secs;
    if (tid === pid) {
      out.mainUser += user;
      out.mainSystem += system;
    } else out.other += user + system;
  }
  return out;
}

export function formatThreadShares(s: ReturnType<typeof threadShares>): string {
  const pc = (x: number): string => `${(x * 100).toFixed(0)}%`;
  return (
    `main thread ${pc(s.mainUser + s.mainSystem)} (user ${pc(s.mainUser)}, system ${pc(s.mainSystem)}), ` +
    `other threads (V8's collector and compiler, libuv's pool) ${pc(s.other)}`
  );
}
