import 'reflect-metadata';
import { runService } from '@aftersales/service-kit';
import { SettlementServiceModule } from './settlement-service.module';

void runService(() => SettlementServiceModule.forRoot(), {
  title: 'settlement-service',
  description:
    'Append-only settlement ledger per merchant, category service fees, statements per cycle and payouts.',
});
