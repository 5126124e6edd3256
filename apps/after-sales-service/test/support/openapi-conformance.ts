/** The parts of an OpenAPI 3.0 schema object the API document uses. */
export interface SchemaObject {
  $ref?: string;
  allOf?: SchemaObject[];
  type?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: boolean | SchemaObject;
}

export interface ApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: SchemaObject }> }> }>
  >;
  components: { schemas: Record<string, SchemaObject> };
}

/** The schema an operation's document gives for a status's JSON body. */
export function responseSchema(doc: ApiDocument, path: string, method: string, status: number): SchemaObject {
  const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the API document has no ${status} body for ${method.toUpperCase()} ${path}`);
  return schema;
}

/**
 * Where `value` departs from `schema`: a field the document does not name, a required one that is
 * missing, a null where none is allowed, a value of another type or outside the enum. Empty when
 * the answer is what the document says.
 */
export function departures(doc: ApiDocument, schema: SchemaObject, value: unknown, at = '$'): string[] {
  const resolved = resolve(doc, schema);
  if (value === null)
    return resolved.nullable || schema.nullable ? [] : [`${at}: null, which the document does not allow`];
  if (resolved.enum && !resolved.enum.includes(value))
    return [`${at}: ${JSON.stringify(value)} is not in its enum`];
  switch (resolved.type) {
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, i) => departures(doc, resolved.items ?? {}, item, `${at}[${i}]`));
    case 'string':
    case 'boolean':
      return typeof value === resolved.type ? [] : [`${at}: not a ${resolved.type}`];
    case 'number':
    case 'integer':
      return typeof value === 'number' ? [] : [`${at}: not a number`];
  }
  if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
  if (resolved.additionalProperties === true) return [];
  const record = value as Record<string, unknown>;
  const properties = resolved.properties ?? {};
  return [
    ...(resolved.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: missing`),
    ...Object.entries(record).flatMap(([name, field]) =>
      properties[name]
        ? departures(doc, properties[name], field, `${at}.${name}`)
        : [`${at}.${name}: not in the document`],
    ),
  ];
}

function resolve(doc: ApiDocument, schema: SchemaObject): SchemaObject {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const found = doc.components.schemas[name];
    if (!found) throw new Error(`the API document refers to a schema it lacks: ${schema.$ref}`);
    return resolve(doc, found);
  }
  if (schema.allOf?.length === 1) return { ...resolve(doc, schema.allOf[0]), nullable: schema.nullable };
  return schema;
}
