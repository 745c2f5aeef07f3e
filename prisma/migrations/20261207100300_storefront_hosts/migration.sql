-- The shop's Markets domains (Shopify's web presences): storefronts the pixel may post
-- from and messages may link to, besides the myshopify and primary domains.
ALTER TABLE "Shop" ADD COLUMN "storefrontHosts" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Shop" ADD COLUMN "domainsRefreshedAt" TIMESTAMP(3);
