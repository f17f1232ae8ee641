// The serving benchmark's baseline: a plain node:http server answering every request with a fixed
// JSON body the size of a short recommendation list. Prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const BODY = JSON.stringify({ itemList: [{ itemId: 'i1', score: 0.5 }, { itemId: 'i2', score: 0.25 }], recommendationId: 'RID-00000000-0000-0000-0000-000000000000' });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
