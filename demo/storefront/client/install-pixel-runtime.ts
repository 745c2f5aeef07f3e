// Entry of build/demo-storefront/pixel-runtime.js: loaded in the page's <head>, before the real pixel
// bundle, so `shopify.extend` exists when the bundle calls register().
import { CONFIG_ELEMENT_IDS, readConfig } from "./config";
import { installPixelRuntime, type PixelRuntimeConfig } from "./pixel-runtime";

installPixelRuntime(readConfig<PixelRuntimeConfig>(CONFIG_ELEMENT_IDS.pixelRuntime));
