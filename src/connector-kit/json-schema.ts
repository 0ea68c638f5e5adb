/** Loose JSON Schema shape: ajv validates the schemas themselves at compile time. */
export type JsonSchema = { [keyword: string]: unknown };
