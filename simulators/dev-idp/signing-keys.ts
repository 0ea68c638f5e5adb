import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A private RS256 signing key as oidc-provider's `jwks` configuration takes it. */
export interface PrivateSigningJwk extends JWK {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** Keycloak's default realm key: RSA 2048, RS256. */
export async function generateSigningKey(): Promise<PrivateSigningJwk> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kty: 'RSA', kid, alg: 'RS256', use: 'sig' };
}

/**
 * The dev IdP's signing keys, newest first (oidc-provider signs with the first
 * key that fits the algorithm, and publishes all of them in the JWKS). With a
 * store path the ring is a JWKS file on disk, so tokens issued before a restart
 * of the embedded gateway still verify after it.
 */
export class SigningKeyRing {
  private constructor(
    private keys: PrivateSigningJwk[],
    private readonly storePath: string | undefined,
  ) {}

  static async open(storePath?: string): Promise<SigningKeyRing> {
    const stored = storePath === undefined ? [] : await readKeyFile(storePath);
    const ring = new SigningKeyRing(stored, storePath);
    if (stored.length === 0) await ring.rotate();
    return ring;
  }

  /** Newest (current) key first. */
  all(): PrivateSigningJwk[] {
    return this.keys.map((key) => ({ ...key }));
  }

  /** Makes a fresh key current; older keys stay published so their tokens keep verifying. */
  async rotate(): Promise<PrivateSigningJwk> {
    const key = await generateSigningKey();
    const next = [key, ...this.keys];
    if (this.storePath !== undefined) await writeKeyFile(this.storePath, next);
    this.keys = next;
    return key;
  }
}

async function readKeyFile(path: string): Promise<PrivateSigningJwk[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(parsed.keys) || !parsed.keys.every(isPrivateSigningJwk)) {
    throw new Error(`Key store ${path} is not a JWKS of private RS256 signing keys`);
  }
  return parsed.keys;
}

/** Write-then-rename so a crash mid-write never leaves a truncated key store behind. */
async function writeKeyFile(path: string, keys: PrivateSigningJwk[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

function isPrivateSigningJwk(value: unknown): value is PrivateSigningJwk {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return jwk.kty === 'RSA' && jwk.alg === 'RS256' && typeof jwk.kid === 'string' && typeof jwk.d === 'string' && typeof jwk.n === 'string';
}
