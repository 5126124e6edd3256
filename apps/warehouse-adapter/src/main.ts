import 'reflect-metadata';
import { runService } from '@aftersales/service-kit';
import { WarehouseAdapterServiceModule } from './warehouse-adapter.module';

void runService(() => WarehouseAdapterServiceModule.forRoot(), {
  title: 'warehouse-adapter',
  description:
    'Dispatch layer: turns after-sales requests into stock-in, stock-out and interception tasks for warehouses and reports their outcome.',
});
