/** A lower-case DNS host name with a top-level domain (no port, no IP, no trailing dot). */
export const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
