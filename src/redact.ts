// Last line of defence for anything a human reads: repo tokens are replaced wherever they
// appear. The pattern is deliberately tolerant of the prefix, which has already changed once
// (artifacts-api.md §1.3: art_v1_, art_v2_e_, art_v2_x_), and also catches a bare secret.
const tokenPattern = /art_v\d+_(?:[a-z0-9]+_)*[0-9a-f]{40}(?:(?:\?|%3[Ff])expires(?:=|%3[Dd])\d+)?/g;
const bearerPattern = /(authorization:\s*(?:bearer|basic)\s+)\S+/gi;

export function redact(text: string): string {
  return text.replace(tokenPattern, '<redacted-token>').replace(bearerPattern, '$1<redacted>');
}
