// Strings an attacker could put into ERP data or a theme, for the escaping tests of every renderer.

/** Hostile strings from the issue and the usual suspects. */
export const hostileStrings: ReadonlyArray<string> = [
  "<script>alert(1)</script>",
  '"onload="alert(1)',
  "' onmouseover='alert(1)",
  '" onload=alert(1) x="',
  "{{",
  "}}",
  "{{{x}}}",
  "{{#each this}}{{/each}}",
  "\u202eRLO override",
  "nul\u0000byte",
  "</style><script>alert(1)</script>",
  "</title><img src=x onerror=alert(1)>",
  "<!-- comment -->",
  "<![CDATA[x]]>",
  "&lt;already escaped&gt; &amp;",
  "javascript:alert(1)",
  "`backtick` =equals=",
  "<svg/onload=alert(1)>",
  "\u2066isolate\u2069 \u200fmark \ufeffbom",
  "line\nbreak\r\ncrlf\ttab"
]
