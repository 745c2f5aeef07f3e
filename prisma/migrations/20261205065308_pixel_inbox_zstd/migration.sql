-- Inbox rows arrive compressed with zstd by the app: a group commit's 50 KB of similar
-- JSON is about 1 KB, so neither the connection nor PostgreSQL's lz4 and TOAST
-- handle the full text. Rows written earlier keep their text body.
ALTER TABLE "PixelInbox" ADD COLUMN     "bodyZstd" BYTEA,
ALTER COLUMN "body" DROP NOT NULL;

-- Already compressed: PostgreSQL would only try again and keep the original.
ALTER TABLE "PixelInbox" ALTER COLUMN "bodyZstd" SET STORAGE EXTERNAL;

ALTER TABLE "PixelInbox" ADD CONSTRAINT "PixelInbox_one_body" CHECK (("body" IS NULL) <> ("bodyZstd" IS NULL));
