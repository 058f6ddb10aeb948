CREATE SCHEMA "datanet_service";
--> statement-breakpoint
CREATE TABLE "datanet_service"."batch_blobs" (
	"batch_id" uuid NOT NULL,
	"blob_index" integer NOT NULL,
	"blob_hash" text NOT NULL,
	"byte_count" bigint NOT NULL,
	CONSTRAINT "batch_blobs_batch_id_blob_index_pk" PRIMARY KEY("batch_id","blob_index")
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."batch_records" (
	"batch_id" uuid NOT NULL,
	"record_index" integer NOT NULL,
	"record_hash" "bytea" NOT NULL,
	"blob_index" integer NOT NULL,
	"byte_offset" bigint NOT NULL,
	"byte_length" integer NOT NULL,
	"kind" text NOT NULL,
	"content_type" text,
	"file_name" text,
	CONSTRAINT "batch_records_batch_id_record_index_pk" PRIMARY KEY("batch_id","record_index")
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."batches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"datanet_id" bigint NOT NULL,
	"contributor" text NOT NULL,
	"status" text NOT NULL,
	"batch_root" text NOT NULL,
	"record_count" integer NOT NULL,
	"byte_count" bigint NOT NULL,
	"uri" text NOT NULL,
	"signature" text,
	"signature_nonce" numeric,
	"deadline" bigint,
	"raw_transaction" text,
	"tx_hash" text,
	"contribution_id" bigint,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."chain_events" (
	"checkpoint" text PRIMARY KEY NOT NULL,
	"block_number" bigint NOT NULL,
	"block_hash" text NOT NULL,
	"tx_hash" text NOT NULL,
	"event_name" text NOT NULL,
	"args" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."contributions" (
	"id" bigint PRIMARY KEY NOT NULL,
	"datanet_id" bigint NOT NULL,
	"contributor" text NOT NULL,
	"batch_root" text NOT NULL,
	"record_count" integer NOT NULL,
	"uri" text NOT NULL,
	"status" text NOT NULL,
	"weight" numeric,
	"reviewed_by" text,
	"reason" text,
	"malicious" boolean,
	"submitted_block" bigint NOT NULL,
	"submitted_tx" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."curators" (
	"datanet_id" bigint NOT NULL,
	"account" text NOT NULL,
	CONSTRAINT "curators_datanet_id_account_pk" PRIMARY KEY("datanet_id","account")
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."datanets" (
	"id" bigint PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"name" text NOT NULL,
	"metadata_uri" text NOT NULL,
	"min_stake" numeric NOT NULL,
	"total_staked" numeric DEFAULT '0' NOT NULL,
	"contribution_count" integer DEFAULT 0 NOT NULL,
	"accepted_count" integer DEFAULT 0 NOT NULL,
	"created_block" bigint NOT NULL,
	"metadata" jsonb,
	"record_schema" jsonb
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."indexer_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"cursor" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"job_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"address" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."siwe_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datanet_service"."stakes" (
	"datanet_id" bigint NOT NULL,
	"account" text NOT NULL,
	"amount" numeric DEFAULT '0' NOT NULL,
	"pending_unstake" numeric DEFAULT '0' NOT NULL,
	"unlock_at" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "stakes_datanet_id_account_pk" PRIMARY KEY("datanet_id","account")
);
--> statement-breakpoint
CREATE INDEX "batches_root_idx" ON "datanet_service"."batches" USING btree ("batch_root");--> statement-breakpoint
CREATE INDEX "batches_datanet_idx" ON "datanet_service"."batches" USING btree ("datanet_id");--> statement-breakpoint
CREATE INDEX "chain_events_block_idx" ON "datanet_service"."chain_events" USING btree ("block_number");--> statement-breakpoint
CREATE INDEX "contributions_datanet_idx" ON "datanet_service"."contributions" USING btree ("datanet_id","status");--> statement-breakpoint
CREATE INDEX "contributions_root_idx" ON "datanet_service"."contributions" USING btree ("batch_root");--> statement-breakpoint
CREATE INDEX "datanets_name_idx" ON "datanet_service"."datanets" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_job_idx" ON "datanet_service"."outbox" USING btree ("queue","job_id");