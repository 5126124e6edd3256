import { SignJWT } from 'jose';
import { mintToken, TokenVerifier } from '../src';

const secret = 'unit-test-secret-0123456789';
const verifier = new TokenVerifier({ jwtSecret: secret });
const sign = (claims: Record<string, unknown>, key = secret, exp = '1h') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(key));

describe('TokenVerifier', () => {
  it('reads role, id and merchant of a minted token', async () => {
    const token = await mintToken({ role: 'merchant_agent', id: 'a1', merchantId: 'm1', secret });
    await expect(verifier.verify(token)).resolves.toEqual({
      role: 'merchant_agent',
      id: 'a1',
      merchantId: 'm1',
    });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await mintToken({ role: 'customer', id: 'c1', secret: 'another-secret-0123456789' });
    await expect(verifier.verify(token)).rejects.toThrow(/invalid token: signature verification failed/);
  });

  it('refuses an expired token', async () => {
    const token = await new SignJWT({ role: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('c1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(token)).rejects.toThrow(/"exp" claim timestamp check failed/);
  });

  it('refuses an unknown role, a missing subject and an agent without merchant', async () => {
    await expect(verifier.verify(await sign({ role: 'admin', sub: 'x' }))).rejects.toThrow(
      /role claim missing or unknown/,
    );
    await expect(verifier.verify(await sign({ role: 'customer' }))).rejects.toThrow(/no sub claim/);
    await expect(verifier.verify(await sign({ role: 'merchant_agent', sub: 'a1' }))).rejects.toThrow(
      /needs a merchant_id/,
    );
  });

  it('needs a secret or a JWKS URL', () => {
    expect(() => new TokenVerifier({})).toThrow(/AUTH_JWT_SECRET or AUTH_JWKS_URL/);
  });
});
