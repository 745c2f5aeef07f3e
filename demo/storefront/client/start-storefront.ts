// Entry of build/demo-storefront/storefront.js: loaded at the end of the page's <body>, after the
// pixel runtime and before the pixel bundle (whose register() replays what was published).
import { CONFIG_ELEMENT_IDS, readConfig, type ClientConfig } from "./config";
import { createPixelPayloads } from "./payloads";
import { storefrontClient } from "./storefront";

const config = readConfig<ClientConfig>(CONFIG_ELEMENT_IDS.storefront);
storefrontClient(config, createPixelPayloads(config.payloadContext));
