import { HttpProblem } from '@openledger/service-kit';
import type { UploadLimits } from '../config.js';

/** An upload limit was crossed: 413 naming the limit and its value. */
export function limitExceeded(limit: keyof UploadLimits, value: number, what: string): HttpProblem {
  return new HttpProblem(413, `${what} exceeds ${limit} (${value})`, {
    type: 'urn:openledger:problem:upload-limit',
    title: 'Upload Limit Exceeded',
    extensions: { limit, value },
  });
}

/** A record failed JSON parsing or the datanet's schema: 422 with its index (and line). */
export function invalidRecord(recordIndex: number, detail: string, errors?: unknown[]): HttpProblem {
  return new HttpProblem(422, `record ${recordIndex}: ${detail}`, {
    type: 'urn:openledger:problem:invalid-record',
    title: 'Invalid Record',
    extensions: errors ? { recordIndex, errors } : { recordIndex },
  });
}
