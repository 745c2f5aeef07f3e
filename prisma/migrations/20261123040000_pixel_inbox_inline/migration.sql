-- A storage setting the Prisma schema cannot express. Pixel bodies (deflated, up to
-- ~8 KB) stay inline and are not compressed again: pglz on each insert cost
-- the acknowledging request more than the insert itself, and the row lives only until
-- the worker expands it.
ALTER TABLE "PixelInbox" SET (toast_tuple_target = 8160);
