// brochure serve: each rebuild shown without reloading the page. The server names the
// current rebuild when the page connects and after every save; when it is not the one
// this page shows, the page fetches itself again and swaps in the new <main>.
const root = document.documentElement;
const connection = document.getElementById("connection");
let shown = root.dataset.generation;
let wanted = shown;
let busy = false;

async function refresh() {
  busy = true;
  try {
    while (wanted !== shown) {
      const target = wanted;
      const response = await fetch(location.href, { cache: "no-store" });
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      document.querySelector("main").replaceWith(document.adoptNode(fresh.querySelector("main")));
      document.title = fresh.title;
      shown = target;
      connection.textContent = `Updated at ${new Date().toLocaleTimeString()}`;
    }
  } catch {
    connection.textContent = "Could not fetch the new version: is brochure serve still running?";
  } finally {
    busy = false;
  }
}

const events = new EventSource(root.dataset.events);
events.onmessage = (event) => {
  wanted = event.data;
  if (!busy) refresh();
};
events.onopen = () => {
  connection.textContent = "";
};
events.onerror = () => {
  connection.textContent = "Not connected to brochure serve: is it still running?";
};
