import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { getAddress, verifyTypedData } from 'ethers';
import { Type } from 'typebox';
import { spendingAuthorizationTypedData } from '@openledger/sdk';
import { AddressString, badRequest, conflict, forbidden, HttpProblem, problemResponses, WeiString } from '@openledger/service-kit';
import { spendingAuthorizations } from '../db/schema.js';

const CreditState = Type.Object({
  payer: AddressString,
  balanceWei: WeiString,
  spentWei: WeiString,
  recordedWei: WeiString,
  unsettledWei: WeiString,
  reservedWei: WeiString,
  capWei: WeiString,
  expiry: Type.Integer(),
  availableWei: Type.String(),
});

export async function creditRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/v1/credit/authorization',
    {
      schema: {
        tags: ['credit'],
        summary: "Submit the caller's signed FeeEscrow SpendingAuthorization (EIP-712) for this gateway's operator",
        security: [{ bearer: [] }],
        body: Type.Object({ payer: AddressString, operator: AddressString, cap: WeiString, expiry: Type.Integer({ minimum: 0 }), signature: Type.String({ pattern: '^0x[0-9a-fA-F]{130}$' }) }),
        response: { 200: Type.Object({ payer: AddressString, capWei: WeiString, expiry: Type.Integer() }), ...problemResponses(400, 401, 403, 409, 503) },
      },
    },
    async (request) => {
      const caller = await app.ctx.keys.authenticate(request.headers.authorization);
      const body = request.body as { payer: string; operator: string; cap: string; expiry: number; signature: string };
      const escrow = app.ctx.escrowAddress;
      if (!escrow) throw new HttpProblem(503, 'no chain configured: spending authorizations cannot be checked');
      const payer = getAddress(body.payer);
      if (payer !== caller.address) throw forbidden(`the authorization is for ${payer}, the API key belongs to ${caller.address}`);
      if (getAddress(body.operator) !== getAddress(app.ctx.config.operatorAddress)) {
        throw badRequest(`operator must be this gateway's operator ${getAddress(app.ctx.config.operatorAddress)}`);
      }
      if (body.expiry <= Date.now() / 1000) throw badRequest('expiry is in the past');
      const typed = spendingAuthorizationTypedData({ chainId: app.ctx.chainId, escrow, message: { payer, operator: body.operator, cap: BigInt(body.cap), expiry: BigInt(body.expiry) } });
      let signer: string;
      try {
        signer = verifyTypedData(typed.domain, typed.types as never, typed.message, body.signature);
      } catch (e) {
        throw badRequest(`signature: ${(e as Error).message}`);
      }
      if (signer !== payer) throw badRequest(`signature was made by ${signer}, not by the payer ${payer}`);
      const [current] = await app.ctx.db.select().from(spendingAuthorizations).where(eq(spendingAuthorizations.payer, payer)).limit(1);
      if (current && (BigInt(current.capWei) > BigInt(body.cap) || (BigInt(current.capWei) === BigInt(body.cap) && current.expiry >= body.expiry))) {
        throw conflict(`a stored authorization with cap ${current.capWei} and expiry ${current.expiry} is at least as large; send a higher cap or a later expiry`);
      }
      const row = { payer, operator: getAddress(body.operator), capWei: body.cap, expiry: body.expiry, signature: body.signature, updatedAt: new Date() };
      await app.ctx.db.insert(spendingAuthorizations).values(row).onConflictDoUpdate({ target: spendingAuthorizations.payer, set: row });
      app.ctx.authorizations.forget(payer);
      return { payer, capWei: body.cap, expiry: body.expiry };
    },
  );

  app.get(
    '/v1/credit',
    { schema: { tags: ['credit'], summary: "The caller's credit: deposit, cap, spent, metered but unsettled, available", security: [{ bearer: [] }], response: { 200: CreditState, ...problemResponses(401, 503) } } },
    async (request) => {
      const caller = await app.ctx.keys.authenticate(request.headers.authorization);
      const s = await app.ctx.credit.state(caller.address);
      return {
        payer: s.payer,
        balanceWei: s.balanceWei.toString(),
        spentWei: s.spentWei.toString(),
        recordedWei: s.recordedWei.toString(),
        unsettledWei: s.unsettledWei.toString(),
        reservedWei: s.reservedWei.toString(),
        capWei: s.capWei.toString(),
        expiry: s.expiry,
        availableWei: s.availableWei.toString(),
      };
    },
  );
}
