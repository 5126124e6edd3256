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

  describe('cache of verified tokens', () => {
    const at = Date.parse('2026-11-25T10:00:00Z');
    const tokenUntil = (id: string, expSeconds: number) =>
      new SignJWT({ role: 'customer' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(id)
        .setIssuedAt(at / 1000)
        .setExpirationTime(expSeconds)
        .sign(new TextEncoder().encode(secret));
    const clock = () => {
      let now = at;
      return { now: () => now, advance: (ms: number) => (now += ms) };
    };
    /** Counts the signature checks a verifier really makes. */
    const counted = (v: TokenVerifier) => {
      const inner = v as unknown as { verifyNow: (...args: unknown[]) => Promise<unknown> };
      const original = inner.verifyNow.bind(v);
      const calls = { n: 0 };
      inner.verifyNow = (...args: unknown[]) => {
        calls.n++;
        return original(...args);
      };
      return calls;
    };

    it('checks a token once and answers from memory until cacheSeconds have passed', async () => {
      const time = clock();
      const v = new TokenVerifier({ jwtSecret: secret, now: time.now, cacheSeconds: 60 });
      const calls = counted(v);
      const token = await tokenUntil('c1', at / 1000 + 3600);
      for (let i = 0; i < 5; i++)
        await expect(v.verify(token)).resolves.toEqual({ role: 'customer', id: 'c1' });
      expect(calls.n).toBe(1);
      time.advance(60_000);
      await v.verify(token);
      expect(calls.n).toBe(2);
    });

    it('never trusts a remembered token past its exp', async () => {
      const time = clock();
      const v = new TokenVerifier({ jwtSecret: secret, now: time.now, cacheSeconds: 600 });
      const token = await tokenUntil('c1', at / 1000 + 30);
      await expect(v.verify(token)).resolves.toEqual({ role: 'customer', id: 'c1' });
      time.advance(31_000);
      await expect(v.verify(token)).rejects.toThrow(/"exp" claim timestamp check failed/);
    });

    it('keeps at most cacheSize tokens, dropping the oldest', async () => {
      const v = new TokenVerifier({ jwtSecret: secret, now: clock().now, cacheSize: 2 });
      const calls = counted(v);
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((id) => tokenUntil(id, at / 1000 + 3600)));
      for (const t of [a, b, c, c, b]) await v.verify(t);
      expect(calls.n).toBe(3);
      await v.verify(a);
      expect(calls.n).toBe(4);
    });

    it('remembers no refusal, and nothing when cacheSeconds is 0', async () => {
      const v = new TokenVerifier({ jwtSecret: secret, now: clock().now, cacheSeconds: 0 });
      const calls = counted(v);
      const token = await tokenUntil('c1', at / 1000 + 3600);
      await v.verify(token);
      await v.verify(token);
      expect(calls.n).toBe(2);
      const forged = await mintToken({ role: 'customer', id: 'c1', secret: 'another-secret-0123456789' });
      const cached = new TokenVerifier({ jwtSecret: secret, now: clock().now });
      await expect(cached.verify(forged)).rejects.toThrow(/signature/);
      await expect(cached.verify(forged)).rejects.toThrow(/signature/);
    });
  });
});
