/**
 * The TypeScript type of a connector's settings (or credentials), read from
 * its JSON Schema declared `as const`: the schema is the single source, so
 * the client cannot disagree with what the config loader validated.
 *
 * Covers what connector settings use: a flat object of string, number,
 * integer and boolean properties (an `enum` narrows to its values); names in
 * `required` are present, the others optional.
 */
export type SettingsOf<Schema> = Schema extends { properties: infer Properties }
  ? Flatten<
      { readonly [Name in keyof Properties as Name extends RequiredOf<Schema> ? Name : never]: ValueOf<Properties[Name]> } & {
        readonly [Name in keyof Properties as Name extends RequiredOf<Schema> ? never : Name]?: ValueOf<Properties[Name]>;
      }
    >
  : Readonly<Record<string, unknown>>;

type RequiredOf<Schema> = Schema extends { required: ReadonlyArray<infer Name> } ? Name : never;

type ValueOf<Property> = Property extends { enum: ReadonlyArray<infer Value> }
  ? Value
  : Property extends { type: 'string' }
    ? string
    : Property extends { type: 'integer' | 'number' }
      ? number
      : Property extends { type: 'boolean' }
        ? boolean
        : unknown;

type Flatten<T> = { [Key in keyof T]: T[Key] };
