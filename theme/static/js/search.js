// Search as you type, with the Pagefind index written after each build.
// Without JavaScript the page shows links to the sections instead; every
// message comes from the page's data-msg-* attributes (translated there).
const root = document.getElementById("search");

function message(name, values = {}) {
  return (root.dataset[name] || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// Pagefind turns no-break spaces into plain ones: put French spacing back (before : ; ? !
// and inside « »), so a line never starts with a colon. Text only: <mark> has no attributes.
function frenchSpacing(text) {
  return text
    .replace(/\s+:/g, "\u00a0:")
    .replace(/\s+([;?!»])/g, "\u202f$1")
    .replace(/«\s+/g, "«\u202f");
}

function renderResult(data) {
  const item = element("li", "search-result");
  if (data.meta.image) {
    // The page's 400-px derivative (search_meta in includes/macros.html), decorative here.
    const image = element("img", "search-result__image");
    image.src = data.meta.image;
    image.alt = "";
    image.width = 400;
    image.height = 300;
    image.loading = "lazy";
    item.append(image);
  }
  const body = element("div", "search-result__body");
  const kinds = [...(data.filters.type || []), ...(data.filters.rubrique || [])];
  if (kinds.length) body.append(element("p", "search-result__kind", kinds.join(" · ")));
  const title = element("h2", "search-result__title");
  const link = element("a", "", frenchSpacing(data.meta.title || data.url));
  link.href = data.url;
  title.append(link);
  body.append(title);
  if (data.meta.date || data.meta.status) {
    const when = element("p", "search-result__date", data.meta.date || "");
    if (data.meta.status) when.append(" ", element("span", "search-result__status", data.meta.status));
    body.append(when);
  }
  const excerpt = element("p", "search-result__excerpt");
  excerpt.innerHTML = frenchSpacing(data.excerpt); // Pagefind escapes the text and adds <mark>
  body.append(excerpt);
  item.append(body);
  return item;
}

// One index, rewritten whole after each build that changed a page (plugins/transfo_search).
async function openIndex(bundle, options) {
  const pagefind = await import(bundle + "pagefind.js");
  await pagefind.options(options);
  await pagefind.init();
  return pagefind;
}

async function start() {
  const form = root.querySelector(".search__form");
  const input = root.querySelector(".search__input");
  const status = root.querySelector(".search__status");
  const list = root.querySelector(".search__results");
  const selects = [...root.querySelectorAll("select[data-filter]")];
  let pagefind;
  try {
    pagefind = await openIndex(root.dataset.bundle, { baseUrl: root.dataset.baseUrl || "/", excerptLength: 30 });
  } catch (error) {
    status.textContent = message("msgError");
    return;
  }
  const available = await pagefind.filters();
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b, "fr"));
    for (const value of values) select.append(new Option(value, value));
    select.closest(".search__filter").hidden = values.length === 0;
  }

  let latest = 0;
  async function run() {
    const query = input.value.trim();
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    const ticket = ++latest;
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = message("msgLoading");
    const search = await pagefind.debouncedSearch(query, { filters }, 200);
    if (search === null || ticket !== latest) return; // a newer keystroke took over
    const results = await Promise.all(search.results.slice(0, 20).map((result) => result.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...results.map(renderResult));
    const count = search.results.length;
    const name = count === 0 ? "msgNone" : count === 1 ? "msgOne" : "msgMany";
    status.textContent = message(name, { count, query });
  }

  input.addEventListener("input", run);
  for (const select of selects) select.addEventListener("change", run);
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  root.querySelector(".search__nojs").hidden = true;
  form.hidden = false; // shown only once it works
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(); }
}

if (root) start();
