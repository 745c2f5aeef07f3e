-- A storage setting the Prisma schema cannot express. An inbox row now holds a whole
-- group commit's bodies for one shop (often 10-100 KB of similar JSON), so it is worth
-- compressing, and lz4 does it for a fraction of pglz's CPU. A server built without
-- lz4 (PGlite) keeps its default.
DO $$
BEGIN
  ALTER TABLE "PixelInbox" ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  NULL;
END $$;
