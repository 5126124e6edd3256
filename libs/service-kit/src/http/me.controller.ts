import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@aftersales/auth';
import type { Actor } from '@aftersales/kernel';
import { ActorView } from './responses';

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
