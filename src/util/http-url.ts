/** `http://host:port` for a listening server; IPv6 literals need brackets in URLs. */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
