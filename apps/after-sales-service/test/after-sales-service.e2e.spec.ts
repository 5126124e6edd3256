import { itServesOperationalEndpoints, startTestService, type TestService } from '@aftersales/testing';
import { AfterSalesServiceModule } from '../src/after-sales-service.module';

describe('after-sales-service skeleton', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService((env) => AfterSalesServiceModule.forRoot(env));
  });
  afterAll(() => svc.close());

  itServesOperationalEndpoints(() => svc, {
    schema: 'after_sales',
    migrations: ['CreateMerchantPolicies1764000000000'],
    protectedPath: '/me',
  });
});
