import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ROLES, type Role } from '@aftersales/kernel';
import { ERROR_BODY_CODES, type ErrorBody } from './error.filter';

/** Who did something, as every service's answers and events name them. */
export class ActorView {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ description: "A merchant agent's merchant." }) merchantId?: string;
}

/** The one error shape of every service (PlatformErrorFilter), for the OpenAPI documents. */
export class ErrorBodyView implements ErrorBody {
  @ApiProperty({ example: 422 }) statusCode!: number;
  @ApiProperty({ example: 'Unprocessable Entity' }) error!: string;
  @ApiProperty({ enum: ERROR_BODY_CODES })
  code!: string;
  @ApiProperty({ description: 'What went wrong, naming the field or the rule.' }) message!: string;
  @ApiPropertyOptional({ description: 'The rule broken, or the field that failed validation.' })
  rule?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The request id, also in the service log.' }) correlationId?: string;
  @ApiProperty() path!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
}

const WHEN: Record<number, string> = {
  400: 'A field is missing or malformed: `rule` names it',
  401: 'No bearer token, or not a valid one',
  403: 'The caller may not see or do this',
  404: 'No such resource',
  409: 'The resource is not in a state that allows this, or changed meanwhile: read it again',
  422: 'A business rule refuses it: `rule` names the rule',
};

/** The error answers an operation can give, each with the shared error body. */
export function ApiErrors(...statuses: (keyof typeof WHEN)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: WHEN[status], type: ErrorBodyView })),
  );
}
