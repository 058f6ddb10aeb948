CREATE SCHEMA "inference_gateway";
--> statement-breakpoint
CREATE TABLE "inference_gateway"."adapter_files" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" bigint NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."adapters" (
	"id" text PRIMARY KEY NOT NULL,
	"base_model_id" text NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"file_hash" text NOT NULL,
	"uri" text NOT NULL,
	"rank" integer NOT NULL,
	"price_per1k_tokens_wei" numeric(78, 0) NOT NULL,
	"datanet_ids" jsonb NOT NULL,
	"deprecated" boolean DEFAULT false NOT NULL,
	"delisted" boolean DEFAULT false NOT NULL,
	"published_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"key_hash" text NOT NULL,
	"address" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."base_models" (
	"id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"file_hash" text NOT NULL,
	"uri" text NOT NULL,
	"delisted" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."indexer_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"cursor" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."spending_authorizations" (
	"payer" text PRIMARY KEY NOT NULL,
	"operator" text NOT NULL,
	"cap_wei" numeric(78, 0) NOT NULL,
	"expiry" bigint NOT NULL,
	"signature" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inference_gateway"."usage_events" (
	"usage_id" text PRIMARY KEY NOT NULL,
	"api_key_id" text NOT NULL,
	"caller" text NOT NULL,
	"adapter_id" text NOT NULL,
	"base_model_id" text NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"fee_wei" numeric(78, 0) NOT NULL,
	"payload" jsonb NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"enqueued_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "adapters_name_idx" ON "inference_gateway"."adapters" USING btree ("name");--> statement-breakpoint
CREATE INDEX "usage_caller_idx" ON "inference_gateway"."usage_events" USING btree ("caller");--> statement-breakpoint
CREATE INDEX "usage_unqueued_idx" ON "inference_gateway"."usage_events" USING btree ("enqueued_at") WHERE "inference_gateway"."usage_events"."enqueued_at" is null;