CREATE TABLE "inference_gateway"."payer_fees" (
	"payer" text PRIMARY KEY NOT NULL,
	"recorded_wei" numeric(78, 0) DEFAULT '0' NOT NULL
);
