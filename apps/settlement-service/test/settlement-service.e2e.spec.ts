import { itServesOperationalEndpoints, startTestService, type TestService } from '@aftersales/testing';
import { SettlementServiceModule } from '../src/settlement-service.module';

describe('settlement-service skeleton', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService((env) => SettlementServiceModule.forRoot(env));
  });
  afterAll(() => svc.close());

  itServesOperationalEndpoints(() => svc, {
    schema: 'settlement',
    migrations: ['CreateSettlementLedger1764000000000'],
    protectedPath: '/me',
  });
});
