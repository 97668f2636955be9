// The partner's uploads and deliveries, encrypted and decrypted in this page (docs/envelope.md 5.1): the file is sealed
// to the broker's key before it leaves, the delivery is opened with the firm's private key file, which is never sent.
import { importPublicKey, importPrivateKey, sealToBlob, openToBlob } from "/console/assets/troc-envelope.js";

// The messages, in the page's language, come from the server's catalogue through the data attributes of #transfer-text.
const messages = document.getElementById("transfer-text").dataset;
const text = {
    noFile: messages.noFile, wrongBrokerKey: messages.wrongBrokerKey, sealing: messages.sealing, sending: messages.sending,
    processing: messages.processing, done: messages.done, failed: messages.failed, noKey: messages.noKey,
    wrongKey: (fingerprint) => messages.wrongKey.replace("{0}", fingerprint), opening: messages.opening,
    opened: (bytes) => messages.opened.replace("{0}", String(bytes)),
};

/** The problem document's detail, or the status line. */
async function problemText(response) {
    try {
        const problem = await response.json();
        return problem.detail || problem.title || `HTTP ${response.status}`;
    } catch {
        return `HTTP ${response.status}`;
    }
}

const upload = document.getElementById("upload");
if (upload) {
    const input = document.getElementById("upload-file");
    const button = document.getElementById("upload-start");
    const bar = document.getElementById("upload-progress");
    const status = document.getElementById("upload-status");
    button.addEventListener("click", async () => {
        const file = input.files[0];
        if (!file) {
            status.textContent = text.noFile;
            return;
        }
        button.disabled = true;
        bar.hidden = false;
        bar.value = 0;
        try {
            const broker = await importPublicKey(upload.dataset.brokerKey);
            if (broker.fingerprint !== upload.dataset.fingerprint) throw new Error(text.wrongBrokerKey);
            status.textContent = text.sealing;
            // Sealing is the first half of the bar, sending the second.
            const envelope = await sealToBlob(file, broker, upload.dataset.purpose, {
                onProgress: ({ done, total }) => { bar.value = total ? done / total / 2 : 0.5; },
            });
            status.textContent = text.sending;
            const answer = await new Promise((resolve, reject) => {
                const request = new XMLHttpRequest();
                request.open("POST", `${upload.dataset.action}?name=${encodeURIComponent(file.name)}`);
                request.setRequestHeader("Content-Type", "application/octet-stream");
                request.setRequestHeader("Accept", "application/json");
                request.setRequestHeader("X-CSRF-Token", upload.dataset.csrf);
                request.upload.onprogress = (event) => {
                    if (event.lengthComputable) bar.value = 0.5 + event.loaded / event.total / 2;
                    if (event.loaded === event.total) status.textContent = text.processing;
                };
                request.onload = () => resolve(request);
                request.onerror = () => reject(new Error(`HTTP ${request.status || "?"}`));
                request.send(envelope);
            });
            let body = {};
            try { body = JSON.parse(answer.responseText); } catch { body = {}; }
            if (answer.status !== 201) throw new Error(body.detail || body.title || `HTTP ${answer.status}`);
            bar.value = 1;
            status.textContent = text.done;
            window.location.assign(body.next);
        } catch (error) {
            status.textContent = `${text.failed} ${error.message}`;
            button.disabled = false;
        }
    });
}

const delivery = document.getElementById("delivery");
if (delivery) {
    const keyInput = document.getElementById("key-file");
    const button = document.getElementById("delivery-open");
    const bar = document.getElementById("delivery-progress");
    const status = document.getElementById("delivery-status");
    const save = document.getElementById("delivery-save");
    button.addEventListener("click", async () => {
        const keyFile = keyInput.files[0];
        if (!keyFile) {
            status.textContent = text.noKey;
            return;
        }
        button.disabled = true;
        try {
            const key = await importPrivateKey(await keyFile.text());
            if (key.publicKey.fingerprint !== delivery.dataset.fingerprint) throw new Error(text.wrongKey(delivery.dataset.fingerprint));
            status.textContent = text.opening;
            bar.hidden = false;
            bar.value = 0;
            const response = await fetch(delivery.dataset.href, { headers: { Accept: "application/octet-stream, application/json" } });
            if (!response.ok) throw new Error(await problemText(response));
            const total = Number(response.headers.get("Content-Length")) || undefined;
            const plain = await openToBlob(response.body, key, delivery.dataset.purpose, {
                type: "text/csv", totalBytes: total,
                onProgress: ({ done, total: all }) => { if (all) bar.value = done / all; },
            });
            bar.value = 1;
            save.href = URL.createObjectURL(plain);
            save.download = delivery.dataset.fileName;
            save.hidden = false;
            status.textContent = text.opened(plain.size);
            save.focus();
        } catch (error) {
            status.textContent = `${text.failed} ${error.message}`;
            button.disabled = false;
        }
    });
}
