import fs from 'node:fs';

/**
 * Who holds the heap, from a V8 heap snapshot (the memory benchmark's `--snapshot`): every object's bytes
 * go to its nearest owner up the dominator tree (the object that alone keeps it alive), where an owner
 * is one of the per-connection kinds below or a part of our server. A header string kept only by the
 * handshake's request counts for the request; an object kept by two connections' parts at once counts
 * for whatever dominates both (often nothing per connection: "not owned").
 */

/** What an owner is, by a node's constructor name and, where names collide, an edge it has. */
interface OwnerRule {
  owner: string;
  name: string;
  /** The node has an edge of this name (engine.io's, Socket.IO's and net's classes are all "Socket"). */
  edge?: string;
}
const RULES: OwnerRule[] = [
  { owner: 'net: TCP socket (net.Socket, its stream states)', name: 'Socket', edge: '<symbol kHandle>' },
  { owner: 'Engine.IO: socket', name: 'Socket', edge: 'transport' },
  { owner: 'Socket.IO: socket (listeners, data, handshake)', name: 'Socket', edge: 'nsp' },
  { owner: 'Socket.IO: client', name: 'Client', edge: 'conn' },
  { owner: 'Engine.IO: websocket transport', name: 'WebSocket', edge: 'perMessageDeflate' },
  { owner: 'ws: WebSocket, Receiver, Sender', name: 'WebSocket', edge: '_receiver' },
  { owner: 'ws: WebSocket, Receiver, Sender', name: 'Receiver' },
  { owner: 'ws: WebSocket, Receiver, Sender', name: 'Sender' },
  { owner: 'the handshake request (IncomingMessage)', name: 'IncomingMessage' },
  { owner: 'Engine.IO: WebSocketResponse', name: 'WebSocketResponse' },
  { owner: 'ours: room roster (players, tokens, names)', name: 'RoomRoster' },
  { owner: 'ours: room stream', name: 'RoomStream' },
  { owner: 'ours: room views', name: 'RoomViews' },
  { owner: 'ours: room journal', name: 'RoomJournal' },
  { owner: 'ours: room transport (connections by player)', name: 'SocketRoomTransport' },
  { owner: 'ours: room (game state, the rest)', name: 'RoomRuntime' },
  { owner: 'ours: rooms', name: 'RoomRegistry' },
  { owner: 'ours: rate limiters', name: 'Limits' },
  { owner: 'Socket.IO: namespace (maps of sockets, rooms)', name: 'Namespace' },
  { owner: 'Engine.IO: server (its clients)', name: 'Server', edge: 'clients' },
];

interface Snapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[]];
      edge_fields: string[];
      edge_types: [string[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Bytes and objects per owner in one snapshot ("not owned": dominated by no owner). */
export function heapOwners(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const { meta } = snap.snapshot;
  const nw = meta.node_fields.length;
  const ew = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSize = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const namedEdge = (t: number): boolean => {
    const s = edgeTypes[t];
    return s === 'property' || s === 'internal' || s === 'context' || s === 'shortcut';
  };
  const n = snap.nodes.length / nw;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0, e = 0; i < n; i++) {
    firstEdge[i] = e;
    e += snap.nodes[i * nw + nEdges]! * ew;
  }
  firstEdge[n] = snap.edges.length;
  const target = (e: number): number => snap.edges[e + eTo]! / nw;

  // Depth-first post order from the root (node 0), strong edges only.
  const post = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const stack: number[] = [0];
  const next = new Uint32Array(n);
  const seen = new Uint8Array(n);
  seen[0] = 1;
  for (let i = 0; i < n; i++) next[i] = firstEdge[i]!;
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    let pushed = false;
    while (next[v]! < firstEdge[v + 1]!) {
      const e = next[v]!;
      next[v] = e + ew;
      if (snap.edges[e + eType] === weak) continue;
      const w = target(e);
      if (seen[w]) continue;
      seen[w] = 1;
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }
  // Predecessors (strong edges between reachable nodes).
  const predCount = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += ew)
      if (snap.edges[e + eType] !== weak) predCount[target(e) + 1]!++;
  }
  for (let i = 0; i < n; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Uint32Array(predCount[n]!);
  const fill = predCount.slice(0, n);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += ew)
      if (snap.edges[e + eType] !== weak) preds[fill[target(e)]!++] = v;
  }
  // Immediate dominators (Cooper, Harvey and Kennedy's iteration over reverse post order).
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const v = order[k]!;
      let d = -1;
      for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }

  // Which nodes are owners.
  const nodeTypes = meta.node_types[0];
  const ownerOf = new Int16Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    const t = nodeTypes[snap.nodes[v * nw + nType]!];
    if (t !== 'object') continue;
    const name = snap.strings[snap.nodes[v * nw + nName]!]!;
    for (let r = 0; r < RULES.length; r++) {
      const rule = RULES[r]!;
      if (rule.name !== name) continue;
      if (rule.edge) {
        let has = false;
        for (let e = firstEdge[v]!; e < firstEdge[v + 1]! && !has; e += ew)
          has = namedEdge(snap.edges[e + eType]!) && snap.strings[snap.edges[e + eName]!] === rule.edge;
        if (!has) continue;
      }
      ownerOf[v] = r;
      break;
    }
  }
  // Nearest owner up the dominator tree, memoized in post order (a dominator comes later in post order).
  const nearest = new Int16Array(n).fill(-2);
  const find = (v: number): number => {
    const path: number[] = [];
    let x = v;
    while (nearest[x] === -2) {
      if (ownerOf[x] !== -1 || x === 0 || idom[x] === -1 || idom[x] === x) {
        nearest[x] = ownerOf[x]!;
        break;
      }
      path.push(x);
      x = idom[x]!;
    }
    for (const p of path) nearest[p] = nearest[x]!;
    return nearest[v]!;
  };
  const nameOf = (v: number): string => {
    const t = nodeTypes[snap.nodes[v * nw + nType]!]!;
    return t === 'object' || t === 'closure'
      ? `${snap.strings[snap.nodes[v * nw + nName]!]} (${t})`
      : `(${t})`;
  };
  const out = new Map<string, { size: number; count: number }>();
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    const r = find(v);
    const owner = r === -1 ? `not owned (shared, or the process): ${nameOf(v)}` : RULES[r]!.owner;
    const e = out.get(owner) ?? { size: 0, count: 0 };
    e.size += snap.nodes[v * nw + nSize]!;
    e.count++;
    out.set(owner, e);
  }
  return out;
}
