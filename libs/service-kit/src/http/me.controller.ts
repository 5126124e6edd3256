import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@aftersales/auth';
import { ROLES, type Actor, type Role } from '@aftersales/kernel';

class ActorView {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() id!: string;
  @ApiPropertyOptional() merchantId?: string;
}

/** Who the bearer token says the caller is: lets a client check its token against any service. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  @ApiOkResponse({ type: ActorView })
  me(@CurrentActor() actor: Actor): ActorView {
    return actor;
  }
}
