/**
 * Understood differences between tcpscope and the reference tools on ../shared/captures, per
 * file and check (the word before ':' in a conformance difference). Each entry says who is
 * right and why; anything not listed fails `npm run conformance`.
 */
export const EXPLAINED: Record<string, Record<string, string>> = {
};
