import 'reflect-metadata';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { Nested } from '@aftersales/contracts';
import { ValidationError } from '@aftersales/kernel';
import { createValidationPipe, flattenValidationErrors } from '../src';

class LineDto {
  @IsString() @Length(1, 8) lineId!: string;
  @IsInt() @Min(1) quantity!: number;
}

class OrderDto {
  @IsString() orderId!: string;
  @Nested(() => LineDto, { array: true, maxItems: 3 }) lines!: LineDto[];
  @IsOptional() @Nested(() => LineDto) extra?: LineDto;
}

/** Nested the class-validator way, without @Nested: the fast check cannot follow it. */
class LegacyDto {
  @ValidateNested() @Type(() => LineDto) line!: LineDto;
}

const body = (metatype: new () => object): ArgumentMetadata => ({ type: 'body', metatype, data: '' });

/** What the pipe throws for `value`, as the platform's ValidationError. */
async function refusal(pipe: ValidationPipe, value: unknown, metatype: new () => object) {
  const error: unknown = await pipe.transform(value, body(metatype)).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationError))
    throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();

  it('returns a body that passes as instances of its DTO classes, nested ones included', async () => {
    const value = await pipe.transform(
      { orderId: 'o-1', lines: [{ lineId: 'L1', quantity: 2 }], extra: { lineId: 'L2', quantity: 1 } },
      body(OrderDto),
    );
    expect(value).toBeInstanceOf(OrderDto);
    const order = value as OrderDto;
    expect(order.lines[0]).toBeInstanceOf(LineDto);
    expect(order.extra).toBeInstanceOf(LineDto);
    expect(order).toEqual({
      orderId: 'o-1',
      lines: [{ lineId: 'L1', quantity: 2 }],
      extra: { lineId: 'L2', quantity: 1 },
    });
  });

  // ValidationPipe alone, with the same options and messages: what the fast check must not change.
  const reference = new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new ValidationError(flattenValidationErrors(errors).join('; ')),
  });

  it.each([
    ['a nested rule broken', { orderId: 'o-1', lines: [{ lineId: 'L1', quantity: 0 }] }],
    ['an unknown field', { orderId: 'o-1', lines: [], coupon: 'X' }],
    ['an unknown nested field', { orderId: 'o-1', lines: [{ lineId: 'L1', quantity: 1, price: 5 }] }],
    ['too many lines', { orderId: 'o-1', lines: [1, 2, 3, 4].map((q) => ({ lineId: 'L', quantity: q })) }],
    ['a string for a number', { orderId: 'o-1', lines: [{ lineId: 'L1', quantity: '1' }] }],
    ['a list for an object', { orderId: 'o-1', lines: [], extra: [{ lineId: 'L1', quantity: 1 }] }],
    ['no body', undefined],
  ])('refuses %s with the message ValidationPipe gives', async (_case, value) => {
    const expected = await refusal(reference, value, OrderDto);
    const error = await refusal(pipe, value, OrderDto);
    expect(error.message).toBe(expected.message);
    expect(error.message).not.toBe('');
  });

  it('names the nested field that broke a rule by its full path', async () => {
    const error = await refusal(pipe, { orderId: 'o-1', lines: [{ lineId: 'L1', quantity: 0 }] }, OrderDto);
    expect(error.message).toBe('lines.0.quantity must not be less than 1');
    expect(error.rule).toBe('lines.0.quantity');
  });

  it.each([
    ['left out', { lines: [] }, 'orderId is required'],
    ['null', { orderId: null, lines: [] }, 'orderId is required'],
    ['left out of a line', { orderId: 'o-1', lines: [{ lineId: 'L1' }] }, 'lines.0.quantity is required'],
    ['in a missing body', undefined, 'orderId is required; lines is required'],
  ])('says "is required" of a required field %s, not every rule it breaks', async (_case, value, message) => {
    expect((await refusal(pipe, value, OrderDto)).message).toBe(message);
  });

  it('validates a DTO the fast check cannot follow the slow way, every time', async () => {
    const value = await pipe.transform({ line: { lineId: 'L1', quantity: 1 } }, body(LegacyDto));
    expect((value as LegacyDto).line).toBeInstanceOf(LineDto);
    const error = await refusal(pipe, { line: { lineId: 'L1', quantity: 0 } }, LegacyDto);
    expect(error.message).toBe('line.quantity must not be less than 1');
    await expect(pipe.transform({ line: { lineId: 'L1', quantity: 3 } }, body(LegacyDto))).resolves.toEqual({
      line: { lineId: 'L1', quantity: 3 },
    });
  });

  it('leaves other parameters to ValidationPipe', async () => {
    await expect(pipe.transform('abc', { type: 'param', metatype: String, data: 'id' })).resolves.toBe('abc');
  });
});
