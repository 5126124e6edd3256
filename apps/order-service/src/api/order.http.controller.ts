import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { CurrentActor, Roles } from '@aftersales/auth';
import { ForbiddenError, NotFoundError, type Actor } from '@aftersales/kernel';
import { OrderEntity } from '../infrastructure/order.entity';
import { OrderView, toOrderView } from './order.view';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrderHttpController {
  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  @Get(':orderId')
  @Roles('customer', 'merchant_agent', 'platform_agent', 'finance')
  @ApiOkResponse({ type: OrderView })
  async get(@Param('orderId') orderId: string, @CurrentActor() actor: Actor): Promise<OrderView> {
    const order = await this.orders.findOne({ where: { orderId } });
    if (!order) throw new NotFoundError(`order ${orderId} not found`, { orderId });
    if (actor.role === 'customer' && order.customerId !== actor.id) {
      throw new ForbiddenError(`order ${orderId} is not an order of customer ${actor.id}`, 'owner.customer');
    }
    if (actor.role === 'merchant_agent' && order.merchantId !== actor.merchantId) {
      throw new ForbiddenError(
        `order ${orderId} is not an order of merchant ${actor.merchantId}`,
        'owner.merchant',
      );
    }
    return toOrderView(order);
  }
}
