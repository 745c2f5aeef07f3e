// The slice of Shopify's Admin GraphQL schema (2026-10) the app calls, with the
// same type, field, enum and error shapes, so the stand-in answers like Shopify.
export const ADMIN_API_SDL = /* GraphQL */ `
scalar DateTime
scalar Decimal
scalar URL

enum CurrencyCode { PLN EUR USD GBP CZK }
enum ProductStatus { ACTIVE ARCHIVED DRAFT }
enum CustomerEmailMarketingState { NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED REDACTED INVALID }
enum CustomerSmsMarketingState { NOT_SUBSCRIBED PENDING SUBSCRIBED UNSUBSCRIBED REDACTED }
enum CustomerMarketingOptInLevel { SINGLE_OPT_IN CONFIRMED_OPT_IN UNKNOWN }
enum DiscountBuyerSelection { ALL }
enum DiscountErrorCode { TAKEN INVALID BLANK }

type Query {
  shop: Shop!
  webPresences(first: Int, after: String): MarketWebPresenceConnection!
  products(first: Int, after: String, query: String): ProductConnection!
  customer(id: ID!): Customer
}

type Mutation {
  discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!): DiscountCodeBasicCreatePayload
  customerEmailMarketingConsentUpdate(input: CustomerEmailMarketingConsentUpdateInput!): CustomerEmailMarketingConsentUpdatePayload
  customerSmsMarketingConsentUpdate(input: CustomerSmsMarketingConsentUpdateInput!): CustomerSmsMarketingConsentUpdatePayload
}

type Shop {
  id: ID!
  name: String!
  email: String!
  myshopifyDomain: String!
  currencyCode: CurrencyCode!
  ianaTimezone: String!
  primaryDomain: Domain!
  billingAddress: ShopAddress!
}
type Domain { host: String! url: URL! }
type MarketWebPresenceConnection { nodes: [MarketWebPresence!]! pageInfo: PageInfo! }
type MarketWebPresence { id: ID! domain: Domain subfolderSuffix: String }
type ShopAddress { address1: String address2: String city: String zip: String countryCodeV2: String company: String }

type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
type ProductEdge { cursor: String! node: Product! }
type Product {
  id: ID!
  legacyResourceId: String!
  title: String!
  handle: String!
  status: ProductStatus!
  vendor: String!
  productType: String!
  tags: [String!]!
  updatedAt: DateTime!
  featuredImage: Image
  priceRangeV2: ProductPriceRangeV2!
  variants(first: Int): ProductVariantConnection!
}
type Image { url: URL! altText: String }
type MoneyV2 { amount: Decimal! currencyCode: CurrencyCode! }
type ProductPriceRangeV2 { minVariantPrice: MoneyV2! maxVariantPrice: MoneyV2! }
type ProductVariantConnection { nodes: [ProductVariant!]! }
type ProductVariant { id: ID! legacyResourceId: String! title: String! price: Decimal! sku: String }

type Customer {
  id: ID!
  email: String
  tags: [String!]!
  emailMarketingConsent: CustomerEmailMarketingConsentState
  smsMarketingConsent: CustomerSmsMarketingConsentState
}
type CustomerEmailMarketingConsentState {
  marketingState: CustomerEmailMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel
  consentUpdatedAt: DateTime
}
type CustomerSmsMarketingConsentState {
  marketingState: CustomerSmsMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel!
  consentUpdatedAt: DateTime
}
type UserError { field: [String!] message: String! }

input CustomerEmailMarketingConsentInput {
  marketingState: CustomerEmailMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel
  consentUpdatedAt: DateTime
}
input CustomerEmailMarketingConsentUpdateInput { customerId: ID! emailMarketingConsent: CustomerEmailMarketingConsentInput! }
type CustomerEmailMarketingConsentUpdatePayload { customer: Customer userErrors: [UserError!]! }

input CustomerSmsMarketingConsentInput {
  marketingState: CustomerSmsMarketingState!
  marketingOptInLevel: CustomerMarketingOptInLevel
  consentUpdatedAt: DateTime
}
input CustomerSmsMarketingConsentUpdateInput { customerId: ID! smsMarketingConsent: CustomerSmsMarketingConsentInput! }
type CustomerSmsMarketingConsentUpdatePayload { customer: Customer userErrors: [UserError!]! }

input DiscountAmountInput { amount: Decimal appliesOnEachItem: Boolean }
input DiscountCustomerGetsValueInput { percentage: Float discountAmount: DiscountAmountInput }
input DiscountItemsInput { all: Boolean }
input DiscountCustomerGetsInput { value: DiscountCustomerGetsValueInput items: DiscountItemsInput }
input DiscountCustomersInput { add: [ID!] }
input DiscountContextInput { all: DiscountBuyerSelection customers: DiscountCustomersInput }
input DiscountCustomerSelectionInput { all: Boolean customers: DiscountCustomersInput }
input DiscountCodeBasicInput {
  title: String
  code: String
  startsAt: DateTime
  endsAt: DateTime
  context: DiscountContextInput
  customerSelection: DiscountCustomerSelectionInput
  customerGets: DiscountCustomerGetsInput
  appliesOncePerCustomer: Boolean
  usageLimit: Int
}
type DiscountRedeemCode { code: String! }
type DiscountRedeemCodeConnection { nodes: [DiscountRedeemCode!]! }
type DiscountCodeBasic { title: String! startsAt: DateTime! endsAt: DateTime codes(first: Int): DiscountRedeemCodeConnection! }
union DiscountCode = DiscountCodeBasic
type DiscountCodeNode { id: ID! codeDiscount: DiscountCode! }
type DiscountUserError { field: [String!] message: String! code: DiscountErrorCode }
type DiscountCodeBasicCreatePayload { codeDiscountNode: DiscountCodeNode userErrors: [DiscountUserError!]! }
`;
