import 'reflect-metadata';
import { validateConfig } from '@aftersales/service-kit';
import { AfterSalesServiceConfig } from './after-sales-service.config';

describe('AfterSalesServiceConfig', () => {
  const env = {
    DATABASE_URL: 'postgres://after-sales@db:5432/platform',
    AUTH_JWT_SECRET: 'a-secret-of-some-length',
  };

  it('dates ticket numbers in Shanghai unless told otherwise', () => {
    expect(validateConfig(AfterSalesServiceConfig, env).MARKETPLACE_TIME_ZONE).toBe('Asia/Shanghai');
    expect(
      validateConfig(AfterSalesServiceConfig, { ...env, MARKETPLACE_TIME_ZONE: 'Europe/Berlin' })
        .MARKETPLACE_TIME_ZONE,
    ).toBe('Europe/Berlin');
  });

  it('refuses a time zone that is not an IANA name, naming the variable', () => {
    expect(() =>
      validateConfig(AfterSalesServiceConfig, { ...env, MARKETPLACE_TIME_ZONE: 'Mars/Olympus' }),
    ).toThrow(expect.objectContaining({ problems: [expect.stringContaining('MARKETPLACE_TIME_ZONE')] }));
  });
});
