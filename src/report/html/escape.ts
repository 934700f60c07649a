/**
 * Escaping for the HTML report. Everything taken from a capture (file names, diagnosis text,
 * anomaly details, and later HTTP URIs or TLS SNI) is hostile until escaped: text and attribute
 * values go through `escapeHtml`, data for the page script through `jsonForScript`.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe in HTML element content and in quoted attribute values (both quote kinds). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes, so no
 * string in the data can close the block (`</script>`) or open a comment (`<!--`); U+2028/2029
 * too, harmless to JSON.parse but not to every tool that might read the file as script.
 * JSON.parse gives back the original strings.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Script text (the plotting library, the page's own code) made safe to inline in a `<script>`
 * element: `</script` would end the element early. In JavaScript `<\/` means the same as `</`
 * inside strings, regular expressions and templates, the only places it can occur.
 */
export function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
