/** A server that could not listen on its address: the cause in words an operator acts on. */
export class ListenError extends Error {
  override name = 'ListenError';
}

/**
 * Why a server could not listen: the port's owner, the privilege or the address to fix, with Node's code
 * kept at the end for searching. Any other error is passed on as it is.
 */
export function listenFailure(e: unknown, host: string, port: number): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'EADDRINUSE'
      ? `port ${port} is in use on ${host} (another program, or another Lemonscale process, listens there); stop it or choose another port`
      : code === 'EACCES'
        ? `not allowed to listen on port ${port} (ports below 1024 need root); set a PORT of 1024 or more`
        : code === 'EADDRNOTAVAIL'
          ? `this machine has no address ${host}; set HOST to one of its addresses, or 0.0.0.0 for all`
          : null;
  if (why === null) return e instanceof Error ? e : new Error(String(e));
  return new ListenError(`cannot listen on ${host}:${port}: ${why} (${code})`, { cause: e });
}
