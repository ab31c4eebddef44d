// A minimal Socket.IO point relay, the way a team would scale rooms out
// without Sketchpad: socket.io with @socket.io/redis-adapter, JSON points.
// scripts/loadtest -peer drives it with the same scenarios as Sketchpad.
//
//   PORT=9001 REDIS_URL=redis://127.0.0.1:6379 node server.js
//
// A client connects to /socket.io/?EIO=4&transport=websocket&room=NAME and
// is put in that room; every "p" event it emits (a stroke's begin, points
// or end, as JSON) goes to everyone else in the room, on every replica that
// shares the Redis. The relay does what such servers do and no more: no
// storage, no ordering across senders, no replay for late joiners.
'use strict';
const http = require('http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const port = Number(process.env.PORT || 9001);
const host = process.env.HOST || '127.0.0.1';
const redisUrl = process.env.REDIS_URL || '';

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  res.statusCode = 404;
  res.end();
});

const io = new Server(server, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 1 << 20,
});

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room || 'lobby');
  socket.join(room);
  socket.on('p', (msg) => {
    socket.to(room).emit('p', msg);
  });
});

async function main() {
  if (redisUrl) {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    pub.on('error', (err) => console.error('redis pub:', err.message));
    sub.on('error', (err) => console.error('redis sub:', err.message));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  server.listen(port, host, () => {
    console.log(`peer relay listening on ${host}:${port}${redisUrl ? ' with the redis adapter' : ''}`);
  });
}

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    io.close();
    process.exit(0);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
