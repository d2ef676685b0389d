/**
 * A Bayeux server that does nothing but answer: handshake, subscribe, and long polls that
 * each carry the next prepared reply (`replyBodies`), back to back, once `POST /go` came. It
 * runs in its own process so that the ingest bench's CPU figure is the client's.
 *
 *   tsx bench/bayeux-responder.ts <count> <batch> <offset>
 */
import { createServer } from 'node:http';
import { replyBodies } from './payloads.js';

const [count, batch, offset] = process.argv.slice(2).map(Number) as [number, number, number];
const bodies = replyBodies(count, batch, offset);
let next = 0;
let go = false;
const held: (() => void)[] = [];

const server = createServer((request, response) => {
  if (request.url === '/go') {
    go = true;
    for (const answer of held.splice(0)) answer();
    response.writeHead(204).end();
    return;
  }
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    text += chunk;
  });
  request.on('end', () => {
    const messages = JSON.parse(text) as { channel: string; id?: string; ext?: unknown }[];
    const reply = (body: string) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    };
    const first = messages[0];
    const meta = (extra: object) => JSON.stringify({ ...first, successful: true, ...extra });
    switch (first?.channel) {
      case '/meta/handshake':
        return reply(
          `[${meta({
            clientId: 'bench',
            version: '1.0',
            supportedConnectionTypes: ['long-polling'],
            advice: { reconnect: 'retry', interval: 0, timeout: 30_000 },
            ext: { ack: true },
          })}]`,
        );
      case '/meta/subscribe':
        return reply(`[${meta({ clientId: 'bench' })}]`);
      case '/meta/connect': {
        const answer = () => {
          const body = bodies[next++];
          const connect = meta({ clientId: 'bench', ext: { ack: next } });
          // The prepared body ends with the connect reply's place: `]` after its messages.
          reply(body ? `${body.slice(0, -1)},${connect}]` : `[${connect}]`);
        };
        // Hold the poll until the bench has started its clock, and after the last reply.
        if (go && next < bodies.length) answer();
        else if (!go) held.push(answer);
        return;
      }
      default:
        return reply(`[${meta({})}]`);
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`Bayeux responder: http://127.0.0.1:${port}/api/v2/notifications`);
});
