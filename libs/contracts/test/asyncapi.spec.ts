import { readFileSync } from 'node:fs';
import {
  ASYNCAPI_PATH,
  EVENT_REGISTRY,
  EVENT_TYPES,
  buildAsyncApiDocument,
  describeProperties,
  objectSchema,
  renderAsyncApi,
  toYaml,
  type JsonObject,
} from '../src';
import { IsNumberString, IsOptional } from 'class-validator';

describe('docs/asyncapi.yaml', () => {
  it('is exactly what the contracts generate (run `npm run asyncapi -w @aftersales/contracts` after a change)', () => {
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });

  const document = buildAsyncApiDocument();
  const components = document.components as {
    messages: Record<string, JsonObject>;
    schemas: Record<string, JsonObject>;
  };

  it('documents every event type as a message on its topic', () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(Object.keys(components.messages)).toEqual(EVENT_TYPES);
    const channels = document.channels as Record<string, { messages?: Record<string, unknown> }>;
    for (const type of EVENT_TYPES)
      expect(Object.keys(channels[EVENT_REGISTRY[type].topic]?.messages ?? {})).toContain(type);
  });

  it('gives every payload property a schema, required exactly when not optional', () => {
    for (const type of EVENT_TYPES) {
      const payload = EVENT_REGISTRY[type].payload;
      const schema = components.schemas[payload.name] as {
        required: string[];
        properties: Record<string, unknown>;
      };
      const properties = describeProperties(payload);
      expect(Object.keys(schema.properties)).toEqual(properties.map((property) => property.name));
      expect(schema.required).toEqual(
        properties.filter((property) => property.required).map((property) => property.name),
      );
    }
  });

  it('derives field schemas from the validation rules', () => {
    const line = components.schemas.OrderLine as { properties: Record<string, JsonObject> };
    expect(line.properties.quantity).toEqual({ type: 'integer', minimum: 1 });
    const placed = components.schemas.OrderPlacedData as {
      properties: Record<string, JsonObject>;
      additionalProperties: boolean;
    };
    expect(placed.additionalProperties).toBe(false);
    expect(placed.properties.lines).toMatchObject({
      type: 'array',
      minItems: 1,
      items: { $ref: '#/components/schemas/OrderLine' },
    });
    const unit = components.schemas.UnitInspection as { properties: Record<string, JsonObject> };
    expect(unit.properties.disposition).toEqual({
      type: 'string',
      enum: ['RESTOCKABLE', 'DAMAGED_OR_NOT_AS_DESCRIBED', 'MISSING'],
    });
  });

  it('refuses to document a rule it has no schema for', () => {
    class Unmapped {
      @IsOptional()
      @IsNumberString()
      amount?: string;
    }
    expect(() => objectSchema(Unmapped)).toThrow(
      'no JSON Schema mapping for rule isNumberString on Unmapped.amount',
    );
  });
});

describe('toYaml', () => {
  it('quotes whatever YAML would read as something else', () => {
    expect(toYaml({ a: 'true', b: '1.0', c: '#/x', d: 'a: b', e: '', f: ' x', g: 'plain text, ok' })).toBe(
      ['a: "true"', 'b: "1.0"', 'c: "#/x"', 'd: "a: b"', 'e: ""', 'f: " x"', 'g: plain text, ok', ''].join(
        '\n',
      ),
    );
  });

  it('writes nested lists and maps in block style and multi-line text as a literal block', () => {
    expect(toYaml({ list: [{ a: 1, b: [true, null] }, [], 'two\nlines'], empty: {} })).toBe(
      [
        'list:',
        '  - a: 1',
        '    b:',
        '      - true',
        '      - null',
        '  - []',
        '  - |-',
        '    two',
        '    lines',
        'empty: {}',
        '',
      ].join('\n'),
    );
  });
});
