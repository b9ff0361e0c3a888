// Neutralises characters in business data that no document should carry: control characters (U+0000 is an
// HTML parse error and breaks CSV consumers) and bidi embeddings/overrides/isolates, which can make text
// display in an order other than the one it is stored in ("Trojan Source").

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job
const unsafe = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g

/** `text` without C0/C1 controls (tab, line feed and carriage return stay), bidi overrides and isolates, or BOMs. */
export const stripUnsafeControls = (text: string): string => text.replace(unsafe, "")
