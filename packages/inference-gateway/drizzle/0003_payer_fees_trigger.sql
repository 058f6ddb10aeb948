-- Keeps inference_gateway.payer_fees equal to the sum of usage_events.fee_wei per caller: every insert adds
-- its fee in the same transaction (usage rows are never updated in fee_wei or deleted). Rows recorded
-- before this migration are added once here.
CREATE OR REPLACE FUNCTION "inference_gateway"."add_payer_fee"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "inference_gateway"."payer_fees" ("payer", "recorded_wei") VALUES (NEW."caller", NEW."fee_wei")
  ON CONFLICT ("payer") DO UPDATE SET "recorded_wei" = "payer_fees"."recorded_wei" + EXCLUDED."recorded_wei";
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "usage_events_add_payer_fee" AFTER INSERT ON "inference_gateway"."usage_events"
  FOR EACH ROW WHEN (NEW."fee_wei" > 0) EXECUTE FUNCTION "inference_gateway"."add_payer_fee"();
--> statement-breakpoint
INSERT INTO "inference_gateway"."payer_fees" ("payer", "recorded_wei")
  SELECT "caller", sum("fee_wei") FROM "inference_gateway"."usage_events" WHERE "fee_wei" > 0 GROUP BY "caller"
  ON CONFLICT ("payer") DO UPDATE SET "recorded_wei" = EXCLUDED."recorded_wei";
