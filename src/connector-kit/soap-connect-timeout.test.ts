import http from 'node:http';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { withConnectTimeout } from './soap-upstream.js';

describe("node-soap transport's connect timeout", () => {
  it('destroys a socket that does not connect in time, with a connection error', async () => {
    const agent = new http.Agent();
    // A socket that never connects: what a silent host looks like.
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => new net.Socket();
    const socket = (withConnectTimeout(agent, 50) as unknown as { createConnection: (options: object) => net.Socket }).createConnection({});
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ETIMEDOUT');
    expect(socket.destroyed).toBe(true);
  });

  it('leaves a connected socket alone however long its answer takes', async () => {
    const server = net.createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const agent = withConnectTimeout(new http.Agent(), 50);
    const socket = (agent as unknown as { createConnection: (options: object) => net.Socket }).createConnection({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(socket.destroyed).toBe(false);
    socket.destroy();
    server.close();
  });
});
