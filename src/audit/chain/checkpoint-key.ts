import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../observability/logger.js';

/** The gateway's checkpoint signing key and the public keys checkpoints may be verified with. */
export interface CheckpointKeys {
  signing: { privateKey: KeyObject; keyId: string };
  /** key id → public key: the signing key's own, plus trusted earlier keys (rotation). */
  verifying: Map<string, KeyObject>;
}

export interface CheckpointKeySettings {
  signingKey?: string | undefined;
  keyFile?: string | undefined;
  trustedPublicKeys?: readonly string[] | undefined;
}

/** Key id: lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo (what `openssl pkey -pubout -outform DER | sha256sum` prints). */
export function checkpointKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** PEM from the environment may arrive with its line breaks written as `\n`. */
function pemText(value: string): string {
  return value.includes('\n') ? value : value.replace(/\\n/g, '\n');
}

export function parseSigningKey(pem: string): KeyObject {
  const key = createPrivateKey(pemText(pem));
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the audit checkpoint signing key must be an Ed25519 key (got ${key.asymmetricKeyType ?? 'unknown'}); generate one with \`openssl genpkey -algorithm ed25519\``);
  }
  return key;
}

/**
 * Resolves the configured key: `signingKey` (production), else the key file
 * (created once, atomically: replicas or test processes starting together
 * end up with the same key), else a throwaway key for this process only.
 */
export async function loadCheckpointKeys(settings: CheckpointKeySettings, logger?: Logger): Promise<CheckpointKeys> {
  let privateKey: KeyObject;
  if (settings.signingKey) privateKey = parseSigningKey(settings.signingKey);
  else if (settings.keyFile) privateKey = parseSigningKey(await readOrCreateKeyFile(settings.keyFile, logger));
  else {
    logger?.warn('no audit checkpoint key configured: using a throwaway key, checkpoints will not verify after a restart');
    privateKey = generateKeyPairSync('ed25519').privateKey;
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = checkpointKeyId(publicKey);
  const verifying = new Map<string, KeyObject>([[keyId, publicKey]]);
  for (const pem of settings.trustedPublicKeys ?? []) {
    const trusted = createPublicKey(pemText(pem));
    verifying.set(checkpointKeyId(trusted), trusted);
  }
  return { signing: { privateKey, keyId }, verifying };
}

/**
 * The public keys checkpoints are verified with, without ever creating a
 * key (the verifier CLI): the configured signing key's or key file's, the
 * trusted earlier keys, and any public keys an external auditor brings.
 */
export async function loadVerificationKeys(settings: CheckpointKeySettings, extraPublicKeys: readonly string[] = []): Promise<Map<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  let pem = settings.signingKey;
  if (!pem && settings.keyFile) pem = await readFile(settings.keyFile, 'utf8').catch(() => undefined);
  if (pem) {
    const publicKey = createPublicKey(parseSigningKey(pem));
    keys.set(checkpointKeyId(publicKey), publicKey);
  }
  for (const text of [...(settings.trustedPublicKeys ?? []), ...extraPublicKeys]) {
    const publicKey = createPublicKey(pemText(text));
    keys.set(checkpointKeyId(publicKey), publicKey);
  }
  return keys;
}

async function readOrCreateKeyFile(path: string, logger?: Logger): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, pem, { mode: 0o600 });
  await chmod(temporary, 0o600);
  try {
    // link() fails if the file exists: whoever links first wins, everyone reads the winner's key.
    await link(temporary, path);
    logger?.info({ keyFile: path }, 'audit checkpoint signing key generated (development only)');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return readFile(path, 'utf8');
}
