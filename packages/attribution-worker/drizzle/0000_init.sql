CREATE SCHEMA "attribution";
--> statement-breakpoint
CREATE TABLE "attribution"."chain_sends" (
	"key" text PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"nonce" integer NOT NULL,
	"raw_tx" text NOT NULL,
	"tx_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attribution"."collections" (
	"epoch" integer NOT NULL,
	"payer" text NOT NULL,
	"operator" text NOT NULL,
	"model_owner" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"auth_cap" numeric(78, 0) NOT NULL,
	"auth_expiry" bigint NOT NULL,
	"auth_signature" text NOT NULL,
	"status" text NOT NULL,
	"spent_before" numeric(78, 0),
	"from_block" bigint,
	"contributors_part" numeric(78, 0),
	"tx_hash" text,
	"error" text,
	CONSTRAINT "collections_epoch_payer_operator_model_owner_pk" PRIMARY KEY("epoch","payer","operator","model_owner")
);
--> statement-breakpoint
CREATE TABLE "attribution"."contributions" (
	"contribution_id" text PRIMARY KEY NOT NULL,
	"datanet_id" text NOT NULL,
	"contributor" text NOT NULL,
	"weight" numeric(78, 0) NOT NULL,
	"record_count" integer NOT NULL,
	"token_count" bigint NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "attribution"."epochs" (
	"epoch" integer PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"cutoff" timestamp with time zone NOT NULL,
	"chain_epoch" integer,
	"root" text,
	"total" numeric(78, 0),
	"distributed" numeric(78, 0),
	"unallocated" numeric(78, 0),
	"leaf_count" integer,
	"data_uri" text,
	"post_tx" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attribution"."rewards" (
	"epoch" integer NOT NULL,
	"account" text NOT NULL,
	"cumulative" numeric(78, 0) NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	CONSTRAINT "rewards_epoch_account_pk" PRIMARY KEY("epoch","account")
);
--> statement-breakpoint
CREATE TABLE "attribution"."usage_events" (
	"usage_id" text PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"payer" text NOT NULL,
	"operator" text NOT NULL,
	"model_owner" text NOT NULL,
	"adapter_id" text NOT NULL,
	"fee_wei" numeric(78, 0) NOT NULL,
	"auth_cap" numeric(78, 0) NOT NULL,
	"auth_expiry" bigint NOT NULL,
	"auth_signature" text NOT NULL,
	"method" text NOT NULL,
	"span_count" integer NOT NULL,
	"epoch" integer,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attribution"."usage_scores" (
	"usage_id" text NOT NULL,
	"contribution_id" text NOT NULL,
	"contributor" text NOT NULL,
	"score" numeric(78, 0) NOT NULL,
	CONSTRAINT "usage_scores_usage_id_contribution_id_pk" PRIMARY KEY("usage_id","contribution_id")
);
--> statement-breakpoint
CREATE INDEX "contributions_datanet_idx" ON "attribution"."contributions" USING btree ("datanet_id");--> statement-breakpoint
CREATE INDEX "rewards_account_idx" ON "attribution"."rewards" USING btree ("account");--> statement-breakpoint
CREATE INDEX "usage_events_epoch_idx" ON "attribution"."usage_events" USING btree ("epoch");--> statement-breakpoint
CREATE INDEX "usage_events_completed_idx" ON "attribution"."usage_events" USING btree ("completed_at");