import { itServesOperationalEndpoints, startTestService, type TestService } from '@aftersales/testing';
import { WarehouseAdapterServiceModule } from '../src/warehouse-adapter.module';

describe('warehouse-adapter skeleton', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService((env) => WarehouseAdapterServiceModule.forRoot(env));
  });
  afterAll(() => svc.close());

  itServesOperationalEndpoints(() => svc, {
    schema: 'warehouse',
    migrations: ['CreateWarehouseTasks1764000000000'],
    protectedPath: '/me',
  });
});
