import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PKI for TLS tests, made with the openssl command line in a
 * temporary directory: a CA, a server certificate for 127.0.0.1 (IP only, so
 * `localhost` does not match it), a client certificate issued by the same CA,
 * and a self-signed server certificate nobody trusts.
 */
export interface TestPki {
  ca: string;
  server: { cert: string; key: string };
  client: { cert: string; key: string };
  selfSigned: { cert: string; key: string };
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-pki-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const file = (name: string) => readFileSync(join(dir, name), 'utf8');
  try {
    const key = (name: string) => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name);
    key('ca.key');
    openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=LGSP test CA', '-days', '2', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    const issue = (name: string, subject: string, extensions: string) => {
      key(`${name}.key`);
      openssl('req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), extensions);
      openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
      return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    };
    const server = issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    const client = issue('client', '/CN=lgsp-gateway', 'extendedKeyUsage=clientAuth\n');
    key('self.key');
    openssl('req', '-x509', '-new', '-key', 'self.key', '-subj', '/CN=127.0.0.1', '-days', '2', '-addext', 'subjectAltName=IP:127.0.0.1', '-out', 'self.pem');
    return { ca: file('ca.pem'), server, client, selfSigned: { cert: file('self.pem'), key: file('self.key') } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
