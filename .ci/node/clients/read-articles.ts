// A frontend developer's first use of the API: the types come from /api/schema/ through
// openapi-typescript (schema.d.ts, generated beside this file), the calls go through
// openapi-fetch. Compiled with `tsc --strict`; run with the server's address:
//
//   node read-articles.js http://127.0.0.1:8000
//
// Prints {"listed": [ids...], "detail": {"id", "slug", "headline", "language"}} as JSON.
import createClient from "openapi-fetch";

import type { paths } from "./schema.js";

const baseUrl = process.argv[2];
if (!baseUrl) {
  throw new Error("usage: node read-articles.js BASE_URL");
}
const client = createClient<paths>({ baseUrl });

const list = await client.GET("/api/v1/articles/", {
  params: { query: { page_size: 10 } },
});
if (list.error !== undefined || list.data === undefined) {
  throw new Error(`list failed: ${list.response.status}`);
}
const first = list.data.results[0];
if (first === undefined) {
  throw new Error("the list is empty");
}

const detail = await client.GET("/api/v1/articles/{id_or_slug}/", {
  params: { path: { id_or_slug: String(first.id) } },
});
if (detail.error !== undefined || detail.data === undefined) {
  throw new Error(`detail failed: ${detail.response.status}`);
}
const article = detail.data;

console.log(
  JSON.stringify({
    listed: list.data.results.map((item) => item.id),
    detail: {
      id: article.id,
      slug: article.slug,
      headline: article.headline,
      language: article.language,
    },
  }),
);
