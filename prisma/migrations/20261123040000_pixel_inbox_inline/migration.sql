-- A storage setting the Prisma schema cannot express. Pixel bodies (typically 1-8 KB
-- of JSON) stay inline and uncompressed: compressing each one with pglz on insert cost
-- the acknowledging request more than the insert itself, and the row lives only until
-- the worker expands it.
ALTER TABLE "PixelInbox" SET (toast_tuple_target = 8160);
