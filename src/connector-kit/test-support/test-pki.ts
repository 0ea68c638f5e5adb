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

/** Runs the openssl command line in `dir`; a machine without it fails the test saying what to install (.ci/run installs it). */
export function runOpenssl(dir: string, ...args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('these tests make their certificates with the openssl command, which is not installed: apt-get install openssl');
    throw error;
  }
}

/** A self-signed P-256 certificate valid for `days`, as an administrator would make one for an upstream that wants mutual TLS. */
export function selfSignedCertificate(days: number, subject = '/CN=lgsp-gateway'): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-cert-'));
  try {
    runOpenssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'self.key');
    runOpenssl(dir, 'req', '-x509', '-new', '-key', 'self.key', '-subj', subject, '-days', String(days), '-out', 'self.pem');
    return { cert: readFileSync(join(dir, 'self.pem'), 'utf8'), key: readFileSync(join(dir, 'self.key'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'lgsp-pki-'));
  const openssl = (...args: string[]) => runOpenssl(dir, ...args);
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
