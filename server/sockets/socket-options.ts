/**
 * Socket.IO's options besides the message size and the origin check (the load test's bare Socket.IO
 * baseline takes the same): no compression (CPU per message, and a zlib context per connection),
 * websocket first with long-polling for networks that block it, no client file served from here.
 */
export const SOCKET_IO_OPTIONS = {
  perMessageDeflate: false,
  httpCompression: false,
  transports: ['websocket', 'polling'],
  serveClient: false,
  pingInterval: 20_000,
  pingTimeout: 20_000,
} as const;
