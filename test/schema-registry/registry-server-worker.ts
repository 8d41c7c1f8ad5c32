/**
 * Test helper run as a worker thread: an in-memory registry behind the REST API, on its own
 * event loop, so a RemoteSchemaRegistryClient on the test's thread can block while it answers.
 * Posts the server's URL once listening; stops when told 'close'.
 */
import { parentPort } from 'node:worker_threads';
import { InMemorySchemaRegistry } from '../../src/schema-registry/in-memory.js';
import { startSchemaRegistryServer } from '../../src/schema-registry/rest.js';

// node --test runs every file under test/ (Node 20's directory mode): run directly, do nothing
if (parentPort) {
  const port = parentPort;
  const server = await startSchemaRegistryServer({ registry: new InMemorySchemaRegistry(), host: '127.0.0.1', port: 0 });
  port.on('message', (m) => {
    if (m === 'close') void server.close().then(() => port.close());
  });
  port.postMessage(server.url);
}
