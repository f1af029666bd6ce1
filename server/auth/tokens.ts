/**
 * Access tokens: short-lived HS256 JWTs (jose) naming the principal and its role. Opaque
 * secrets (refresh tokens, gateway secrets, enrollment codes) are random and stored only as
 * their SHA-256: they carry 128+ bits of entropy, so a slow hash adds nothing.
 */
import { createHash, randomBytes, randomInt, webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { HttpError } from '../errors.js';

export type PrincipalRole = 'admin' | 'clinician' | 'researcher' | 'gateway';

/** Who is calling: a staff user or an enrolled gateway. */
export interface Principal {
  kind: 'user' | 'gateway';
  id: string;
  role: PrincipalRole;
}

const ISSUER = 'pulsewatch-server';
const AUDIENCE = 'pulsewatch-api';
/** Verified tokens remembered (a gateway sends the same token with every upload until it expires). */
const VERIFIED_CACHE_SIZE = 4096;

export class AccessTokens {
  private key: Promise<webcrypto.CryptoKey> | undefined;
  /**
   * Tokens whose signature and claims already checked out, with their expiry: the signature is a
   * function of the exact token text, so the result of checking it again is known. Web Crypto's
   * HMAC verify costs ~0.3 ms a request, more than the rest of a small request's work; expiry is
   * still checked on every use, and whether the principal may still act is checked by the caller
   * (AuthService.authenticate) on every request, so revocation is unaffected. Oldest entry first out.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(
    private readonly secret: Uint8Array,
    private readonly ttlS: number,
    private readonly now: () => number,
  ) {}

  /** The HMAC key, imported once (jose would import a raw secret on every call). */
  private hmacKey(): Promise<webcrypto.CryptoKey> {
    this.key ??= webcrypto.subtle.importKey(
      'raw',
      Uint8Array.from(this.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    return this.key;
  }

  /** Signs an access token; returns it with its expiry (epoch ms). */
  async issue(principal: Principal): Promise<{ token: string; expiresAtMs: number }> {
    const nowS = Math.floor(this.now() / 1000);
    const expS = nowS + this.ttlS;
    const token = await new SignJWT({ role: principal.role, kind: principal.kind })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(expS)
      .setJti(randomBytes(9).toString('base64url'))
      .sign(await this.hmacKey());
    return { token, expiresAtMs: expS * 1000 };
  }

  /** Verifies signature, issuer, audience and expiry. Throws 401 `token_expired` or `unauthorized`. */
  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (this.now() < known.expiresAtMs) return { ...known.principal };
      this.verified.delete(token);
      throw new HttpError(401, 'token_expired', 'access token expired; refresh it');
    }
    const principal = await this.verifySignature(token);
    return { ...principal };
  }

  private async verifySignature(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, await this.hmacKey(), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
      });
      const role = payload.role;
      const kind = payload.kind;
      if (typeof payload.sub !== 'string' || !isRole(role) || (kind !== 'user' && kind !== 'gateway')) {
        throw new HttpError(401, 'unauthorized', 'invalid access token');
      }
      if ((kind === 'gateway') !== (role === 'gateway') || typeof payload.exp !== 'number')
        throw new HttpError(401, 'unauthorized', 'invalid access token');
      const principal: Principal = { kind, id: payload.sub, role };
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { principal, expiresAtMs: payload.exp * 1000 });
      return principal;
    } catch (err) {
      if (err instanceof HttpError) throw err;
      if (err instanceof errors.JWTExpired)
        throw new HttpError(401, 'token_expired', 'access token expired; refresh it');
      throw new HttpError(401, 'unauthorized', 'invalid access token');
    }
  }
}

function isRole(value: unknown): value is PrincipalRole {
  return value === 'admin' || value === 'clinician' || value === 'researcher' || value === 'gateway';
}

/** A random opaque secret (base64url). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time enrollment code `XXXX-XXXX-XXXX-XXXX` (80 bits; no 0/O/1/I to misread). */
export function enrollmentCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
    groups.push(group);
  }
  return groups.join('-');
}
