import { itServesOperationalEndpoints, startTestService, type TestService } from '@aftersales/testing';
import { RefundServiceModule } from '../src/refund-service.module';

describe('refund-service skeleton', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService((env) => RefundServiceModule.forRoot(env));
  });
  afterAll(() => svc.close());

  itServesOperationalEndpoints(() => svc, {
    schema: 'refunds',
    migrations: ['CreateRefundPolicies1764000000000'],
    protectedPath: '/me',
  });
});
