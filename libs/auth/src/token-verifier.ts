import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { isRole, type Actor, type Role } from '@aftersales/kernel';

export interface AuthOptions {
  /** HS256 shared secret (local runs and tests). */
  jwtSecret?: string;
  /** JWKS endpoint of a real identity provider (RS256/ES256 keys). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export const AUTH_OPTIONS = Symbol('AuthOptions');

/** Claims this platform reads: `sub` is the actor id, `role` one of the roles, `merchant_id` for agents. */
export interface ActorClaims extends JWTPayload {
  role?: unknown;
  merchant_id?: unknown;
}

export class InvalidTokenError extends Error {}

export class TokenVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly options: AuthOptions) {
    if (options.jwksUrl) this.key = createRemoteJWKSet(new URL(options.jwksUrl));
    else if (options.jwtSecret) this.key = new TextEncoder().encode(options.jwtSecret);
    else throw new Error('auth needs AUTH_JWT_SECRET or AUTH_JWKS_URL');
  }

  async verify(token: string): Promise<Actor> {
    let payload: ActorClaims;
    try {
      const verified = await jwtVerify<ActorClaims>(token, this.key as Uint8Array, {
        ...(this.options.jwksUrl ? {} : { algorithms: ['HS256'] }),
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
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
    return {
      role: payload.role,
      id: payload.sub,
      ...(typeof payload.merchant_id === 'string' ? { merchantId: payload.merchant_id } : {}),
    };
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
