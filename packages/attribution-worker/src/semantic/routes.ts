import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AddressString, HttpProblem, problemResponses } from '@openledger/service-kit';
import type { SemanticService } from './semantic-service.js';
import { similarityPpm } from './semantic-attribution.js';

export const MAX_RETRIEVE_K = 50;
export const MAX_QUERY_CHARS = 4096;

const RetrieveParams = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z_-]{1,128}$', description: 'datanet id' }) });
const RetrieveQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: MAX_QUERY_CHARS, description: 'text to find the nearest records to' }),
  k: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RETRIEVE_K, default: 5, description: 'records to return' })),
});
const RetrievedRecord = Type.Object({
  contributionId: Type.String({ description: 'cite this id in the usage event (retrievedContributionIds) to pay the record' }),
  contributor: AddressString,
  recordIndex: Type.Integer({ minimum: 0 }),
  similarity: Type.Number({ description: 'cosine similarity' }),
  similarityPpm: Type.Integer({ description: 'cosine similarity in millionths (what scores use)' }),
  text: Type.String(),
});
const RetrieveResponse = Type.Object({
  datanetId: Type.String(),
  model: Type.String({ description: 'sha256 fingerprint of the embedding model files' }),
  records: Type.Array(RetrievedRecord),
});

export const NOT_CONFIGURED = 'semantic attribution is not configured: set EMBEDDING_MODEL_DIR to a local ONNX feature-extraction model directory';

/** GET /v1/datanets/:id/retrieve — nearest accepted records to a text, with contribution ids for citation. */
export const semanticRoutes: FastifyPluginAsyncTypebox<{ semantic?: SemanticService }> = async (app, { semantic }) => {
  app.get(
    '/v1/datanets/:id/retrieve',
    { schema: { tags: ['semantic'], params: RetrieveParams, querystring: RetrieveQuery, response: { 200: RetrieveResponse, ...problemResponses(400, 404) } } },
    async (request) => {
      if (!semantic) throw new HttpProblem(404, NOT_CONFIGURED, { title: 'Semantic attribution is not configured' });
      const { id } = request.params;
      const { q, k = 5 } = request.query;
      const records = await semantic.nearest([id], q, k);
      return {
        datanetId: id,
        model: semantic.embedder.fingerprint,
        records: records.map((r) => ({ ...r, similarityPpm: similarityPpm(r.similarity) })),
      };
    },
  );
};
