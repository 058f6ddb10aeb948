import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { invalidRecord } from './problems.js';

// ajv-formats is CommonJS with a default export
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/** Checks records against a datanet's JSON schema; throws a 422 naming the record and the failing path. */
export interface RecordValidator {
  check(recordIndex: number, value: unknown): void;
}

export class SchemaError extends Error {}

const MAX_SCHEMA_BYTES = 64 * 1024;

/** Compiles datanet schemas once per schema text (a datanet's schema changes only with its metadata). */
export class RecordValidatorCache {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, RecordValidator>();

  constructor() {
    this.ajv = new Ajv({ allErrors: false, strict: false, validateSchema: true, addUsedSchema: false });
    addFormats(this.ajv);
  }

  /** Throws {@link SchemaError} when the schema itself is not a valid JSON schema. */
  get(schema: unknown): RecordValidator {
    const key = JSON.stringify(schema);
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (key.length > MAX_SCHEMA_BYTES) throw new SchemaError(`record schema is larger than ${MAX_SCHEMA_BYTES} bytes`);
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(schema as object);
    } catch (err) {
      throw new SchemaError(`record schema is not a valid JSON schema: ${(err as Error).message}`);
    }
    const validator: RecordValidator = {
      check(recordIndex, value) {
        if (validate(value)) return;
        const first = validate.errors?.[0];
        const path = first?.instancePath || '/';
        throw invalidRecord(recordIndex, `does not match the datanet schema: ${path} ${first?.message ?? 'is invalid'}`, validate.errors ?? []);
      },
    };
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, validator);
    return validator;
  }

  /** Validates a schema without keeping it (for datanet creation). */
  assertValid(schema: unknown): void {
    this.get(schema);
  }
}
