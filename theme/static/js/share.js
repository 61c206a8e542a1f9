// Share buttons (includes/share_links.html): the phone's own share sheet through the
// Web Share API, and a copy-link button. Without JavaScript the plain links remain.
for (const share of document.querySelectorAll(".share")) {
  const native = share.querySelector(".share__native");
  const nativeButton = native?.querySelector("button");
  if (nativeButton && navigator.share) {
    native.hidden = false;
    nativeButton.addEventListener("click", () => {
      navigator.share({ title: nativeButton.dataset.shareTitle, url: nativeButton.dataset.shareUrl })
        .catch(() => {}); // the reader closed the sheet
    });
  }
  const copy = share.querySelector(".share__copy");
  const copyButton = copy?.querySelector("button");
  if (copyButton && navigator.clipboard) {
    copy.hidden = false;
    copyButton.addEventListener("click", async () => {
      await navigator.clipboard.writeText(copyButton.dataset.copyUrl);
      copyButton.textContent = copyButton.dataset.copied;
    });
  }
}
