import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isRole, type Actor, type Role } from '@aftersales/kernel';

export interface AuthOptions {
  /** HS256 shared secret (local runs and tests). */
  jwtSecret?: string;
  /** JWKS endpoint of a real identity provider (RS256/ES256 keys). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /**
   * How long a verified token is taken on trust before its signature is checked again (never past
   * its `exp`); bounds how long a key removed from the JWKS keeps working. 0 turns the cache off.
   */
  cacheSeconds?: number;
  /** Most tokens kept verified at once; the oldest goes first. */
  cacheSize?: number;
  /** Epoch milliseconds now; the clock of token expiry and of the cache. */
  now?: () => number;
}

export const AUTH_OPTIONS = Symbol('AuthOptions');

/** Claims this platform reads: `sub` is the actor id, `role` one of the roles, `merchant_id` for agents. */
export interface ActorClaims extends JWTPayload {
  role?: unknown;
  merchant_id?: unknown;
}

export class InvalidTokenError extends Error {}

/**
 * Verifies bearer tokens. A client sends the same token with every request until it expires, and
 * checking its signature and claims costs ~0.1 ms of the event loop each time, so a verified token
 * is remembered (by its whole text) for `cacheSeconds` or until its `exp`, whichever comes first.
 */
export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly now: () => number;
  private readonly cacheMs: number;
  private readonly cacheSize: number;
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly verified = new Map<string, { actor: Actor; until: number }>();

  constructor(private readonly options: AuthOptions) {
    if (options.jwksUrl) this.key = createRemoteJWKSet(new URL(options.jwksUrl));
    else if (options.jwtSecret) this.key = new TextEncoder().encode(options.jwtSecret);
    else throw new Error('auth needs AUTH_JWT_SECRET or AUTH_JWKS_URL');
    this.now = options.now ?? Date.now;
    this.cacheMs = (options.cacheSeconds ?? 60) * 1000;
    this.cacheSize = options.cacheSize ?? 10_000;
  }

  async verify(token: string): Promise<Actor> {
    const now = this.now();
    const known = this.verified.get(token);
    if (known) {
      if (now < known.until) return known.actor;
      this.verified.delete(token);
    }
    const { actor, exp } = await this.verifyNow(token, now);
    if (this.cacheMs > 0) {
      const until = Math.min(now + this.cacheMs, exp === undefined ? Infinity : exp * 1000);
      if (this.verified.size >= this.cacheSize) {
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(token, { actor, until });
    }
    return actor;
  }

  private async verifyNow(token: string, now: number): Promise<{ actor: Actor; exp?: number }> {
    let payload: ActorClaims;
    try {
      const verified = await jwtVerify<ActorClaims>(token, this.key as Uint8Array, {
        ...(this.options.jwksUrl ? {} : { algorithms: ['HS256'] }),
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
        currentDate: new Date(now),
      });
      payload = verified.payload;
    } catch (e) {
      throw new InvalidTokenError(`invalid token: ${(e as Error).message}`);
    }
    if (!payload.sub) throw new InvalidTokenError('invalid token: no sub claim');
    if (!isRole(payload.role)) throw new InvalidTokenError('invalid token: role claim missing or unknown');
    if (payload.role === 'merchant_agent' && typeof payload.merchant_id !== 'string') {
      throw new InvalidTokenError('invalid token: a merchant_agent token needs a merchant_id claim');
    }
    const actor: Actor = {
      role: payload.role,
      id: payload.sub,
      ...(typeof payload.merchant_id === 'string' ? { merchantId: payload.merchant_id } : {}),
    };
    return payload.exp === undefined ? { actor } : { actor, exp: payload.exp };
  }
}

export interface MintOptions {
  role: Role;
  id: string;
  merchantId?: string;
  secret: string;
  expiresIn?: string;
  issuer?: string;
  audience?: string;
}

/** Signs an HS256 token for local runs, demos and tests. */
export async function mintToken(o: MintOptions): Promise<string> {
  let jwt = new SignJWT({ role: o.role, ...(o.merchantId ? { merchant_id: o.merchantId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.id)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? '12h');
  if (o.issuer) jwt = jwt.setIssuer(o.issuer);
  if (o.audience) jwt = jwt.setAudience(o.audience);
  return jwt.sign(new TextEncoder().encode(o.secret));
}

/** Secret of `npm start` and `npm run token` when AUTH_JWT_SECRET is not set: local runs only. */
export const LOCAL_JWT_SECRET = 'local-development-secret-change-me';
