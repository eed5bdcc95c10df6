// The ceiling for the redirect benchmark: plain node:http answering a fixed 302, nothing else.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
createServer((_request, response) => {
  response.writeHead(302, { location: 'https://example.com/' });
  response.end();
}).listen(port, '127.0.0.1');
